// The runs' schemas (protocol/runs.ts): what POST /lab/runs takes, and the run the runs' routes
// answer (companion/server/lab-runs.ts). Each tied to its protocol type by fields<T>.
import {
  MAX_CAPTURE_LONG_TEXT,
  MAX_CAPTURE_TEXT,
  MAX_REPORT_CAPTURED,
  MAX_REPORT_REJECTED,
  MAX_RUN_CAPTURED,
  MAX_RUN_CHECKS,
  MAX_RUN_NAME,
  MAX_RUN_PROBLEMS,
  RUN_ID,
  type CapturedEvent,
  type CaptureRejection,
  type CaptureReport,
  type CaptureReportAnswer,
  type RunCaptures,
  type RunCheck,
  type RunProblem,
  type RunResource,
  type RunStart,
  type RunSummary,
} from '../../../protocol/runs';
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
  reason: { ...str, description: "a rejection's field and reason; for a capture report's, who refused it and on which page" },
  by: { type: 'string', enum: ['tracker', 'extension'], description: "a capture report's: the tracker rejected the command in the page, or the extension refused the event; absent: intake's" },
  url: { ...str, description: "a capture report's: the page it happened on" },
});

const text: Schema = { type: 'string', maxLength: MAX_CAPTURE_TEXT };
const longText: Schema = { type: 'string', maxLength: MAX_CAPTURE_LONG_TEXT };

const capturedEvent = fields<CapturedEvent>({
  eventID: { ...text, minLength: 1 },
  eventName: text,
  visitId: { ...text, description: 'the visitID the tracker gave it' },
});

const rejection = fields<CaptureRejection>({
  by: { type: 'string', enum: ['tracker', 'extension'] },
  eventName: { ...text, description: "the command's name (`event SignIn`) or the event's eventName" },
  eventID: text,
  visitId: text,
  url: longText,
  reason: longText,
});

const report = fields<CaptureReport>({
  batch: { ...text, minLength: 1, description: 'names the report: a resend of one already taken changes nothing (`repeated`)' },
  captured: { ...arrayOf(ref('CapturedEvent')), maxItems: MAX_REPORT_CAPTURED, description: 'events captured for the run since the last report (each taken once)' },
  rejected: { ...arrayOf(ref('CaptureRejection')), maxItems: MAX_REPORT_REJECTED },
  moreRejected: { ...int, description: 'rejections beyond those listed: counted, not listed' },
});

const reportAnswer = fields<CaptureReportAnswer>({
  runId,
  captured: { ...int, description: 'captured events the run was told of, exact' },
  rejected: { ...int, description: "the run's rejections (intake's and capture reports')" },
  repeated: { ...bool, description: 'the batch was taken already: nothing changed' },
});

const captures = fields<RunCaptures>({
  captured: int,
  undelivered: { ...int, description: `captured (of the first ${MAX_RUN_CAPTURED}) and not stored yet, nor rejected by intake: counted now` },
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
  checks: { ...arrayOf(ref('RunCheck')), maxItems: MAX_RUN_CHECKS, description: `POST /lab/check outcomes against it, oldest first (the latest ${MAX_RUN_CHECKS})` },
  captures: { ...object(captures), description: 'present once the extension reported what it captured for the run (POST /lab/runs/{runId}/captures)' },
});

export function runSchemas(): Record<string, Schema> {
  return {
    RunStart: closed(runStart, ['active'], 'POST /lab/runs: any other field is a 400 naming it'),
    RunSummary: object(summary),
    RunProblem: object(problem, ['eventName', 'eventID', 'visitId', 'reason', 'by', 'url']),
    CapturedEvent: closed(capturedEvent, ['eventName', 'visitId']),
    CaptureRejection: closed(rejection, ['eventName', 'eventID', 'visitId', 'url']),
    CaptureReport: closed(report, ['captured', 'rejected', 'moreRejected'], 'POST /lab/runs/{runId}/captures: any other field is a 400 naming it'),
    CaptureReportAnswer: object(reportAnswer),
    RunCheck: object(check),
    RunResource: object(resource, ['captures']),
  };
}
