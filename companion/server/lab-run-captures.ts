// POST /lab/runs/{runId}/captures (issue 11, the capture reconciliation): the extension tells the
// companion what it captured for a run (the events, so a check can name those never stored) and
// what never left the page (commands the tracker rejected, events the extension refused). Noted
// on the run, journaled; POST /lab/check of the run then knows every kind of capture problem.
import type { Router } from 'express';
import { MAX_RUN_PROBLEMS, parseCaptureReport, type CaptureRejection, type CaptureReportAnswer, type RunProblem } from '../../protocol/runs';
import type { RunRecord } from '../engine';
import type { LabStore } from '../store/lab-store';
import { jsonBody } from './body';
import { badRequest } from './errors';
import { parseQuery } from './history/query';
import { runInPath } from './lab-runs';

/** A rejection as the run keeps it: its reason says who refused it, and where, for the check's report. */
export function problemOfRejection(r: CaptureRejection): RunProblem {
  const who = r.by === 'tracker' ? 'the tracker rejected the command' : 'the extension refused the event';
  const problem: RunProblem = { kind: 'rejected', by: r.by, reason: `${who}${r.url ? ` on ${r.url}` : ''}: ${r.reason}` };
  if (r.eventName !== undefined) problem.eventName = r.eventName;
  if (r.eventID !== undefined) problem.eventID = r.eventID;
  if (r.visitId !== undefined) problem.visitId = r.visitId;
  if (r.url !== undefined) problem.url = r.url;
  return problem;
}

function answer(run: RunRecord, repeated: boolean): CaptureReportAnswer {
  return { runId: run.runId, captured: run.capturedCount ?? 0, rejected: run.rejected, repeated };
}

export function runCapturesRoutes(router: Router, store: LabStore): void {
  // A stopped run still takes reports: what it captured may still be on its way.
  router.post('/runs/:runId/captures', ...jsonBody(), async (req, res) => {
    parseQuery(req.query as Record<string, unknown>, {});
    const run = runInPath(await store.read({ runs: [String(req.params.runId)] }), String(req.params.runId));
    const parsed = parseCaptureReport(req.body);
    if (!parsed.ok) throw badRequest(parsed.problem.field, parsed.problem.reason);
    const report = parsed.value;
    if (run.reportBatches?.includes(report.batch)) return void res.json(answer(run, true));
    // Only as many problems as the run can still keep: a flood must not grow the journal for nothing.
    const room = Math.max(0, MAX_RUN_PROBLEMS - run.problems.length);
    const problems = report.rejected.slice(0, room).map(problemOfRejection);
    await store.commit({
      kind: 'run-captures',
      runId: run.runId,
      batch: report.batch,
      captured: report.captured.map((c) => ({ ...c })),
      rejected: report.rejected.length + (report.moreRejected ?? 0),
      problems,
    });
    res.json(answer(runInPath(await store.read({ runs: [run.runId] }), run.runId), false)); // a 404 if a reset took the run meanwhile
  });
}
