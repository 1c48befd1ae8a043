// The runs' schemas (protocol/runs.ts): what POST /lab/runs takes, and the run the runs' routes
// answer (companion/server/lab-runs.ts). Each tied to its protocol type by fields<T>.
import { MAX_RUN_CHECKS, MAX_RUN_NAME, MAX_RUN_PROBLEMS, RUN_ID, type RunCheck, type RunProblem, type RunResource, type RunStart, type RunSummary } from '../../../protocol/runs';
import { arrayOf, schemaRef as ref, type Schema } from './build';
import { bool, closed, fields, int, ms, object, str } from './parts';

export const runId: Schema = { type: 'string', pattern: RUN_ID.source, description: 'made by the companion: `run-` and URL-safe characters' };

const runStart = fields<RunStart>({
  name: { type: 'string', minLength: 1, maxLength: MAX_RUN_NAME, description: `what the run is ("checkout, Chrome"): trimmed, not empty, at most ${MAX_RUN_NAME} characters, no control characters` },
  active: { type: 'boolean', default: false, description: "make it the companion's one active run (events sent without X-Lab-Run go to it); a 409 while another run is active" },
});

const summary = fields<RunSummary>({
  runId,
  name: str,
  startedAt: ms('ms since 1970'),
  stoppedAt: { type: ['number', 'null'], description: 'ms since 1970; null while it runs' },
  active: { ...bool, description: "whether it is the companion's active run" },
});

const problem = fields<RunProblem>({
  kind: { type: 'string', enum: ['rejected', 'duplicate'] },
  eventName: str,
  eventID: str,
  visitId: str,
  reason: { ...str, description: "a rejection's field and reason" },
});

const check = fields<RunCheck>({
  checkedAt: ms('ms since 1970'),
  spec: { ...str, description: "the spec's name" },
  passed: bool,
  summary: object({ passed: int, failed: int }),
});

const resource = fields<RunResource>({
  ...summary,
  counts: object({ visits: int, events: int, rejected: int, duplicates: int }, [], 'exact, even past the problems kept'),
  visitIds: { ...arrayOf(str), description: 'the visits its events reached, each once, in the order first reached' },
  problems: { ...arrayOf(ref('RunProblem')), maxItems: MAX_RUN_PROBLEMS, description: `its intake rejections and duplicates, the first ${MAX_RUN_PROBLEMS}` },
  checks: { ...arrayOf(ref('RunCheck')), maxItems: MAX_RUN_CHECKS, description: `POST /lab/check outcomes against it, oldest first (the first ${MAX_RUN_CHECKS})` },
});

export function runSchemas(): Record<string, Schema> {
  return {
    RunStart: closed(runStart, ['active'], 'POST /lab/runs: any other field is a 400 naming it'),
    RunSummary: object(summary),
    RunProblem: object(problem, ['eventName', 'eventID', 'visitId', 'reason']),
    RunCheck: object(check),
    RunResource: object(resource),
  };
}
