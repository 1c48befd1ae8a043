// Which run an intake request's events belong to (its X-Lab-Run header, else the companion's
// active run, else none), and the problems of a request noted on its run.
import type { IntakeResult } from '../../protocol';
import { MAX_RUN_PROBLEMS, RUN_HEADER, type RunProblem } from '../../protocol/runs';
import { runOf, type LabState, type Operation } from '../engine';
import { badRequest } from './errors';

/**
 * The run named by the header, or the active run. A stopped run still takes events sent with
 * its header: they were captured during it and were on their way. An unknown one is a 400.
 */
export function runOfRequest(state: LabState, header: string | undefined): string | undefined {
  if (header === undefined) return state.activeRunId ?? undefined;
  if (!runOf(state, header)) throw badRequest(RUN_HEADER, `no run ${JSON.stringify(header.slice(0, 100))} (start one with POST /lab/runs)`);
  return header;
}

const text = (v: unknown) => (typeof v === 'string' ? v.slice(0, 256) : undefined);

/** The run-problems operation for a request's rejections and duplicates (results in item order). */
export function runProblemsOf(state: LabState, runId: string, items: unknown[], results: IntakeResult[]): Operation {
  const problems: RunProblem[] = [];
  let rejected = 0;
  let duplicates = 0;
  for (const r of results) {
    if (r.status === 'accepted') continue;
    if (r.status === 'rejected') rejected++;
    else duplicates++;
    const item = (items[r.index] ?? {}) as Record<string, unknown>;
    const problem: RunProblem = { kind: r.status === 'rejected' ? 'rejected' : 'duplicate' };
    if (r.eventID) problem.eventID = r.eventID;
    const eventName = text(item?.eventName);
    if (eventName) problem.eventName = eventName;
    const visitId = text(item?.visitID);
    if (visitId) problem.visitId = visitId;
    if (r.status === 'rejected') problem.reason = `${r.field}: ${r.reason}`;
    problems.push(problem);
  }
  // Only as many as the run can still keep: a flood of rejections must not grow the journal for nothing.
  const room = Math.max(0, MAX_RUN_PROBLEMS - (runOf(state, runId)?.problems.length ?? 0));
  return { kind: 'run-problems', runId, rejected, duplicates, problems: problems.slice(0, room) };
}
