// POST /server/events (companion/server/intake.ts): what the tracker sends.
import { MAX_EVENTS_PER_REQUEST } from '../../../protocol';
import { arrayOf, json, jsonBody, schemaRef, STORAGE, TOO_LARGE, type Paths } from './build';

export const intakePaths: Paths = {
  '/server/events': {
    post: {
      operationId: 'postEvents',
      tags: ['intake'],
      summary: 'Take events from the tracker',
      description:
        `One event or an array of up to ${MAX_EVENTS_PER_REQUEST}, read as JSON whatever the Content-Type; answered once the accepted ones are on disk. ` +
        'Under --auth no credentials are needed, but a caller without them is answered `accepted` for an eventID already stored, never `duplicate`.',
      requestBody: jsonBody({ anyOf: [schemaRef('GtEvent'), { ...arrayOf(schemaRef('GtEvent')), minItems: 1, maxItems: MAX_EVENTS_PER_REQUEST }] }),
      responses: {
        '200': json('at least one event accepted or a duplicate: a result per event, in order', schemaRef('IntakeResponse')),
        '400': {
          description: 'every event rejected (the first one named), or a body that is not JSON',
          content: { 'application/json': { schema: { anyOf: [schemaRef('IntakeRefused'), schemaRef('Error')] } } },
        },
        ...TOO_LARGE,
        ...STORAGE,
      },
    },
  },
};
