// POST /lab/check (companion/server/lab-check.ts): a spec checked against a run, a visit or
// everything; the report whether it passed or not.
import { MAX_CHECK_WORK, MAX_CHECKED_EVENTS } from '../lab-check';
import { BAD_REQUEST, json, jsonBody, schemaRef, STORAGE, TOO_LARGE, type Paths } from './build';

export const checkPaths: Paths = {
  '/lab/check': {
    post: {
      operationId: 'check',
      tags: ['lab'],
      summary: 'Check a spec (docs/expectations.md) against a run, one visit or everything',
      description:
        'Answers the report with 200 whether the spec holds or not (`passed` says). With `run`, the outcome is added to the run\'s `checks`. ' +
        'A wrong spec is a 400 whose `field` is its place (`spec.visits[0].steps[2].url.re`); a scope past what one check reads ' +
        `(${MAX_CHECKED_EVENTS} events, or ${MAX_CHECK_WORK} events times visit expectations) is a 400 naming \`run\` (or \`visitId\`).`,
      requestBody: jsonBody(schemaRef('CheckRequest')),
      responses: {
        '200': json('the report (passed or not)', schemaRef('CheckReport')),
        ...BAD_REQUEST,
        '404': json('no such run or visit, or a visit with no events of the run (`field`: run or visitId)', schemaRef('Error')),
        ...TOO_LARGE,
        ...STORAGE,
      },
      'x-visitor-lab-addition': true,
    },
  },
};
