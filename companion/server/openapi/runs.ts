// Runs (companion/server/lab-runs.ts): start, stop, list and read a run. Which run an intake
// request's events go to is its X-Lab-Run header (intake.ts); `?run=` scopes an export
// (exchange.ts) and a reset (lab.ts).
import { PAGING } from '../history/query';
import { arrayOf, BAD_REQUEST, PAGING_NEXT, json, jsonBody, NOT_FOUND, pathParam, queryParams, schemaRef, STORAGE, TOO_LARGE, type Operation, type Paths } from './build';

const lab = (op: Omit<Operation, 'tags'>): Operation => ({ tags: ['lab'], ...op, 'x-visitor-lab-addition': true });

const runId = pathParam('runId', 'the run (its runId); an unknown one is a 404 naming runId');

export const runPaths: Paths = {
  '/lab/runs': {
    post: lab({
      operationId: 'startRun',
      summary: 'Start a run: a named stretch of testing that scopes what it captured',
      requestBody: jsonBody(schemaRef('RunStart')),
      responses: {
        '201': json('the run, started', schemaRef('RunSummary')),
        ...BAD_REQUEST,
        '409': json('`active` asked while another run is the active run (`field`: active; the message names it: stop it first)', schemaRef('Error')),
        ...TOO_LARGE,
        ...STORAGE,
      },
    }),
    get: lab({
      operationId: 'listRuns',
      summary: 'The runs, newest first, a page at a time (a run started meanwhile does not shift the pages after a key)',
      parameters: queryParams(PAGING),
      responses: { '200': json('a page of runs', arrayOf(schemaRef('RunSummary')), PAGING_NEXT), ...BAD_REQUEST },
    }),
  },
  '/lab/runs/{runId}': {
    get: lab({
      operationId: 'getRun',
      summary: 'A run with its counts, visits, intake problems and checks',
      parameters: [runId],
      responses: { '200': json('the run', schemaRef('RunResource')), ...BAD_REQUEST, ...NOT_FOUND },
    }),
  },
  '/lab/runs/{runId}/captures': {
    post: lab({
      operationId: 'reportRunCaptures',
      summary: "The extension's capture report: events it captured for the run and commands rejected before they could be sent (a check of the run then knows undelivered ones)",
      parameters: [runId],
      requestBody: jsonBody(schemaRef('CaptureReport')),
      responses: {
        '200': json("the run's totals after the report (`repeated`: the batch was taken already)", schemaRef('CaptureReportAnswer')),
        ...BAD_REQUEST,
        ...NOT_FOUND,
        ...TOO_LARGE,
        ...STORAGE,
      },
    }),
  },
  '/lab/runs/{runId}/stop': {
    post: lab({
      operationId: 'stopRun',
      summary: 'Stop a run (stopping twice answers the same); events sent with its X-Lab-Run header still go to it',
      parameters: [runId],
      responses: { '200': json('the run, stopped (not active)', schemaRef('RunSummary')), ...BAD_REQUEST, ...NOT_FOUND, ...STORAGE },
    }),
  },
};
