// POST /server/events (companion/server/intake.ts): what the tracker sends.
import { MAX_EVENTS_PER_REQUEST } from '../../../protocol';
import { RUN_HEADER } from '../../../protocol/runs';
import { runId } from './schemas-runs';
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
      parameters: [
        {
          name: RUN_HEADER,
          in: 'header',
          description: "the run the stored events belong to (without it: the companion's active run, if any); an unknown run is a 400 naming it, nothing stored",
          schema: runId,
        },
      ],
      requestBody: jsonBody({ anyOf: [schemaRef('GtEvent'), { ...arrayOf(schemaRef('GtEvent')), minItems: 1, maxItems: MAX_EVENTS_PER_REQUEST }] }),
      responses: {
        '200': json('at least one event accepted or a duplicate: a result per event, in order', schemaRef('IntakeResponse')),
        '400': {
          description: `every event rejected (the first one named), a body that is not JSON, or an ${RUN_HEADER} header naming no run (\`field\`: ${RUN_HEADER}; nothing stored)`,
          content: { 'application/json': { schema: { anyOf: [schemaRef('IntakeRefused'), schemaRef('Error')] } } },
        },
        ...TOO_LARGE,
        ...STORAGE,
      },
    },
  },
};
