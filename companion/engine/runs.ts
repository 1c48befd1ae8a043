// Runs (issue 11): named stretches of testing. A run keeps the ids of the events stored for it
// (applied order) and the visits they reached (each once), and what went wrong on the way
// (intake rejections and duplicates of its requests, the tracker's rejections its capture
// reports name), and the events the extension said it captured for it. Its id lists are only
// appended to, as the state's others (the snapshot relies on it); forgetting visits, or keeping
// the latest checks, replaces a list whole.
import { MAX_RUN_CAPTURED, MAX_RUN_CHECKS, MAX_RUN_PROBLEMS, type CapturedEvent, type RunCheck, type RunProblem } from '../../protocol/runs';
import { own, type LabState, type VisitRecord } from './state';

export interface RunRecord {
  runId: string;
  name: string;
  startedAt: number;
  /** null while running. */
  stoppedAt: number | null;
  eventIds: string[];
  visitIds: string[];
  rejected: number;
  duplicates: number;
  /** The first MAX_RUN_PROBLEMS problems (the counts above stay exact). */
  problems: RunProblem[];
  /** The latest MAX_RUN_CHECKS. */
  checks: RunCheck[];
  /** Events the extension captured for the run (the first MAX_RUN_CAPTURED); absent until its first capture report. */
  captured?: CapturedEvent[];
  /** How many it was told of, exact. */
  capturedCount?: number;
  /** The latest capture reports' batch names: a resend of one is taken once. */
  reportBatches?: string[];
}

/** Batch names a run remembers: a worker resends only its report in flight, so a few suffice. */
export const MAX_REPORT_BATCHES = 100;

export type RunOperation =
  /** A run begins; `active`: it becomes the companion's active run. */
  | { kind: 'run-start'; run: { runId: string; name: string; startedAt: number }; active: boolean }
  | { kind: 'run-stop'; runId: string; at: number }
  /** Intake's rejections and duplicates of a request that belonged to the run. */
  | { kind: 'run-problems'; runId: string; rejected: number; duplicates: number; problems: RunProblem[] }
  /** A check's outcome against the run (POST /lab/check with `run`). */
  | { kind: 'run-check'; runId: string; check: RunCheck }
  /** An extension's capture report (POST /lab/runs/{runId}/captures); `rejected` counts, `problems` the ones kept. */
  | { kind: 'run-captures'; runId: string; batch: string; captured: CapturedEvent[]; rejected: number; problems: RunProblem[] };

/** The run with this id; data from before runs has none. */
export const runOf = (state: LabState, runId: string): RunRecord | undefined => (state.runs ? own(state.runs, runId) : undefined);

/** Which visits a run has reached, derived (never stored): `visitIds.includes` per event would be quadratic. */
const reached = new WeakMap<RunRecord, Set<string>>();

function reachedBy(run: RunRecord): Set<string> {
  let set = reached.get(run);
  if (!set) reached.set(run, (set = new Set(run.visitIds)));
  return set;
}

/** Which events a run was told of, derived (never stored), as `reached`. */
const capturedIds = new WeakMap<RunRecord, Set<string>>();

function capturedBy(run: RunRecord): Set<string> {
  let set = capturedIds.get(run);
  if (!set) capturedIds.set(run, (set = new Set((run.captured ?? []).map((c) => c.eventID))));
  return set;
}

function noteCaptures(run: RunRecord, op: Extract<RunOperation, { kind: 'run-captures' }>): void {
  const batches = run.reportBatches ?? [];
  if (batches.includes(op.batch)) return; // a resend whose first answer was lost
  run.reportBatches = [...batches.slice(-(MAX_REPORT_BATCHES - 1)), op.batch]; // replaced, not changed in place
  const list = (run.captured ??= []);
  const seen = capturedBy(run);
  for (const c of op.captured) {
    if (seen.has(c.eventID)) continue;
    run.capturedCount = (run.capturedCount ?? 0) + 1;
    if (list.length >= MAX_RUN_CAPTURED) continue;
    seen.add(c.eventID);
    list.push(c);
  }
  run.capturedCount ??= 0;
  run.rejected += op.rejected;
  for (const p of op.problems) if (run.problems.length < MAX_RUN_PROBLEMS) run.problems.push(p);
}

/** Notes an event stored for the run (called right after it is stored). A run forgotten meanwhile takes nothing. */
export function noteRunEvent(state: LabState, runId: string, visit: VisitRecord, eventID: string): void {
  const run = runOf(state, runId);
  if (!run) return;
  run.eventIds.push(eventID);
  const visits = reachedBy(run);
  if (!visits.has(visit.visitId)) {
    visits.add(visit.visitId);
    run.visitIds.push(visit.visitId);
  }
}

export function applyRunOperation(state: LabState, op: RunOperation): void {
  if (op.kind === 'run-start') {
    const runs = (state.runs ??= {});
    if (own(runs, op.run.runId)) return; // ids are made fresh: a repeat is a replayed mistake, not a second run
    runs[op.run.runId] = { ...op.run, stoppedAt: null, eventIds: [], visitIds: [], rejected: 0, duplicates: 0, problems: [], checks: [] };
    if (op.active) state.activeRunId = op.run.runId;
    return;
  }
  const run = runOf(state, op.runId);
  if (!run) return;
  switch (op.kind) {
    case 'run-stop':
      if (run.stoppedAt === null) run.stoppedAt = op.at;
      if (state.activeRunId === run.runId) state.activeRunId = null;
      break;
    case 'run-problems':
      run.rejected += op.rejected;
      run.duplicates += op.duplicates;
      for (const p of op.problems) if (run.problems.length < MAX_RUN_PROBLEMS) run.problems.push(p);
      break;
    case 'run-check':
      // The latest are kept: past the cap the list is replaced (a snapshot being written holds the old one).
      if (run.checks.length < MAX_RUN_CHECKS) run.checks.push(op.check);
      else run.checks = [...run.checks.slice(run.checks.length - MAX_RUN_CHECKS + 1), op.check];
      break;
    case 'run-captures':
      noteCaptures(run, op);
      break;
  }
}

/** The runs' references to forgotten visits and their events go (lists replaced, not changed in place). */
export function forgetInRuns(state: LabState, gone: ReadonlySet<string>): void {
  for (const run of Object.values(state.runs ?? {})) {
    if (!run.visitIds.some((id) => gone.has(id))) continue;
    run.visitIds = run.visitIds.filter((id) => !gone.has(id));
    run.eventIds = run.eventIds.filter((id) => own(state.events, id));
    // Their captured events went with them: not undelivered, forgotten.
    if (run.captured) run.captured = run.captured.filter((c) => c.visitId === undefined || !gone.has(c.visitId));
    reached.delete(run);
    capturedIds.delete(run);
  }
}

/** Removes runs whole (POST /lab/reset?run=); the active run, if among them, is no longer active. */
export function dropRuns(state: LabState, runIds: readonly string[]): void {
  for (const runId of runIds) {
    if (!runOf(state, runId)) continue;
    delete state.runs![runId];
    if (state.activeRunId === runId) state.activeRunId = null;
  }
}

/** Runs newest first (started later first; ties by runId, so the order is stable). */
export function runsNewestFirst(state: LabState): RunRecord[] {
  return Object.values(state.runs ?? {}).sort((a, b) => b.startedAt - a.startedAt || (a.runId < b.runId ? 1 : a.runId > b.runId ? -1 : 0));
}

/**
 * The run's visits, each with only its events that belong to the run, in the visit's applied
 * order: what an export or a check of the run sees (another run's events in a visit are not its).
 */
export function runScope(state: LabState, run: RunRecord): { visit: VisitRecord; eventIds: string[] }[] {
  const mine = new Set(run.eventIds);
  return run.visitIds
    .map((id) => own(state.visits, id))
    .filter((v): v is VisitRecord => v !== undefined)
    .map((visit) => ({ visit, eventIds: visit.eventIds.filter((id) => mine.has(id)) }));
}

/**
 * The events the extension captured for the run that are not stored (yet), nor named by one of
 * the run's intake rejections (those are rejected, not undelivered): at check time, so an event
 * still on its way counts until it lands. Of one visit, with `visitId`.
 */
export function undeliveredOf(state: LabState, run: RunRecord, visitId?: string): CapturedEvent[] {
  if (!run.captured) return [];
  const rejected = new Set(run.problems.flatMap((p) => (p.kind === 'rejected' && !p.by && p.eventID ? [p.eventID] : [])));
  return run.captured.filter((c) => !own(state.events, c.eventID) && !rejected.has(c.eventID) && (visitId === undefined || c.visitId === visitId));
}
