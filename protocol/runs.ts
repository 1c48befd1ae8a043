// Runs (issue 11): a named stretch of testing that scopes what it captured. The resource the
// lab API answers, and the parser of POST /lab/runs's body. Pure: no I/O.
import type { CaptureProblem } from './expectations/types';

/** The request header naming the run an intake request's events belong to. */
export const RUN_HEADER = 'X-Lab-Run';
export const MAX_RUN_NAME = 200;
/** Problems kept per run (the first ones); the counts stay exact past it. */
export const MAX_RUN_PROBLEMS = 100;
/** Check results kept per run: the latest ones (what a person wants to see). */
export const MAX_RUN_CHECKS = 100;
/** Captured events a run keeps (the first ones; the count stays exact): undelivered is known of these. */
export const MAX_RUN_CAPTURED = 20_000;
/** One capture report carries at most this many captured events and this many rejections. */
export const MAX_REPORT_CAPTURED = 1000;
export const MAX_REPORT_REJECTED = 100;
/** An id, name or batch in a capture report, at most. */
export const MAX_CAPTURE_TEXT = 256;
/** A reason or a url in a capture report, at most (longer ones are cut by the extension). */
export const MAX_CAPTURE_LONG_TEXT = 2048;

/** runIds the companion makes: `run-` and URL-safe characters; anything else names no run. */
export const RUN_ID = /^run-[A-Za-z0-9_-]{1,64}$/;

/**
 * An intake rejection or duplicate of a request that belonged to the run, or (`by`) a command
 * the tracker rejected in the page or an event the extension refused, as its capture report says.
 */
export type RunProblem = CaptureProblem & {
  kind: 'rejected' | 'duplicate';
  /** Absent: intake's. */
  by?: 'tracker' | 'extension';
  /** The page it happened on (capture reports). */
  url?: string;
};

/** An event the extension captured for a run (POST /lab/runs/{runId}/captures). */
export interface CapturedEvent {
  eventID: string;
  eventName?: string;
  /** The visitID the tracker gave it. */
  visitId?: string;
}

/** A command the tracker rejected, or an event the extension refused, before it could be sent. */
export interface CaptureRejection {
  by: 'tracker' | 'extension';
  /** The command's name (`event SignIn`) or the event's eventName. */
  eventName?: string;
  eventID?: string;
  visitId?: string;
  url?: string;
  reason: string;
}

/**
 * POST /lab/runs/{runId}/captures: what the extension captured for the run since its last report.
 * `batch` names the report: a resend of one that got through (its answer lost) changes nothing.
 * `moreRejected`: rejections beyond those detailed (counted, not listed).
 */
export interface CaptureReport {
  batch: string;
  captured: CapturedEvent[];
  rejected: CaptureRejection[];
  moreRejected?: number;
}

/** What the route answers: the run's totals after the report. */
export interface CaptureReportAnswer {
  runId: string;
  /** Captured events the run has been told of. */
  captured: number;
  /** The run's rejections (intake's and the capture reports'). */
  rejected: number;
  /** True when this batch had been taken already (nothing changed). */
  repeated: boolean;
}

/** A run's capture reports in GET /lab/runs/{runId} (absent until one came). */
export interface RunCaptures {
  captured: number;
  /** Captured (of the first MAX_RUN_CAPTURED) and not stored yet, nor rejected by intake. */
  undelivered: number;
}

/** A check (POST /lab/check with `run`) recorded on the run: the report's outcome, not the whole report. */
export interface RunCheck {
  checkedAt: number;
  spec: string;
  passed: boolean;
  summary: { passed: number; failed: number };
}

/** What POST /lab/runs and /stop answer, and GET /lab/runs lists. */
export interface RunSummary {
  runId: string;
  name: string;
  startedAt: number;
  stoppedAt: number | null;
  /** True while it is the companion's active run (events without a run header go to it). */
  active: boolean;
}

/** GET /lab/runs/{runId}. */
export interface RunResource extends RunSummary {
  counts: { visits: number; events: number; rejected: number; duplicates: number };
  /** The visits its events went to, each once, in the order they were first reached. */
  visitIds: string[];
  /** The first MAX_RUN_PROBLEMS rejections and duplicates. */
  problems: RunProblem[];
  /** Checks run against it, oldest first (the latest MAX_RUN_CHECKS). */
  checks: RunCheck[];
  /** Present once the extension reported what it captured for the run. */
  captures?: RunCaptures;
}

export interface RunStart {
  name: string;
  active: boolean;
}

/** POST /lab/runs's body: `{name, active?}`; a problem names the field at fault. */
export function parseRunStart(body: unknown): { ok: true; value: RunStart } | { ok: false; problem: { field: string; reason: string } } {
  const bad = (field: string, reason: string) => ({ ok: false as const, problem: { field, reason } });
  if (!body || typeof body !== 'object' || Array.isArray(body)) return bad('body', 'must be a JSON object such as {"name": "checkout, Chrome"}');
  const { name, active, ...rest } = body as Record<string, unknown>;
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined) return bad(unknown, 'is not a field of a run (name, active)');
  if (typeof name !== 'string') return bad('name', 'is required: a string naming the run');
  const trimmed = name.trim();
  if (trimmed === '') return bad('name', 'must not be empty');
  if (trimmed.length > MAX_RUN_NAME) return bad('name', `must be at most ${MAX_RUN_NAME} characters`);
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) return bad('name', 'must not hold control characters');
  if (active !== undefined && typeof active !== 'boolean') return bad('active', 'must be true or false');
  return { ok: true, value: { name: trimmed, active: active === true } };
}

type Parsed<T> = { ok: true; value: T } | { ok: false; problem: { field: string; reason: string } };

const badField = (field: string, reason: string) => ({ ok: false as const, problem: { field, reason } });

/** A string field of at most `max` characters, or a reason why not. */
function textProblem(v: unknown, max: number, required: boolean): string | null {
  if (v === undefined) return required ? 'is required' : null;
  if (typeof v !== 'string') return 'must be a string';
  if (required && v === '') return 'must not be empty';
  return v.length > max ? `must be at most ${max} characters` : null;
}

function closedObject(v: unknown, place: string, allowed: string[]): string | { field: string; reason: string } {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return { field: place, reason: 'must be an object' };
  const extra = Object.keys(v).find((k) => !allowed.includes(k));
  return extra === undefined ? '' : { field: `${place}.${extra}`, reason: `is not a field (${allowed.join(', ')})` };
}

/** POST /lab/runs/{runId}/captures's body; a problem names the field (`captured[3].eventID`). */
export function parseCaptureReport(body: unknown): Parsed<CaptureReport> {
  const top = closedObject(body, 'body', ['batch', 'captured', 'rejected', 'moreRejected']);
  if (typeof top !== 'string') return badField(top.field === 'body' ? 'body' : top.field.slice(5), top.reason);
  const b = body as Record<string, unknown>;
  const batchProblem = textProblem(b.batch, MAX_CAPTURE_TEXT, true);
  if (batchProblem) return badField('batch', batchProblem);
  const lists = [['captured', MAX_REPORT_CAPTURED], ['rejected', MAX_REPORT_REJECTED]] as const;
  for (const [field, max] of lists) {
    const list = b[field] ?? [];
    if (!Array.isArray(list)) return badField(field, 'must be an array');
    if (list.length > max) return badField(field, `holds ${list.length} items, more than a report takes (${max}): send several`);
  }
  const captured = (b.captured ?? []) as unknown[];
  for (let i = 0; i < captured.length; i++) {
    const shape = closedObject(captured[i], `captured[${i}]`, ['eventID', 'eventName', 'visitId']);
    if (typeof shape !== 'string') return badField(shape.field, shape.reason);
    const c = captured[i] as Record<string, unknown>;
    for (const key of ['eventID', 'eventName', 'visitId']) {
      const problem = textProblem(c[key], MAX_CAPTURE_TEXT, key === 'eventID');
      if (problem) return badField(`captured[${i}].${key}`, problem);
    }
  }
  const rejected = (b.rejected ?? []) as unknown[];
  for (let i = 0; i < rejected.length; i++) {
    const shape = closedObject(rejected[i], `rejected[${i}]`, ['by', 'eventName', 'eventID', 'visitId', 'url', 'reason']);
    if (typeof shape !== 'string') return badField(shape.field, shape.reason);
    const r = rejected[i] as Record<string, unknown>;
    if (r.by !== 'tracker' && r.by !== 'extension') return badField(`rejected[${i}].by`, "must be 'tracker' or 'extension'");
    for (const key of ['eventName', 'eventID', 'visitId', 'url', 'reason']) {
      const long = key === 'url' || key === 'reason';
      const problem = textProblem(r[key], long ? MAX_CAPTURE_LONG_TEXT : MAX_CAPTURE_TEXT, key === 'reason');
      if (problem) return badField(`rejected[${i}].${key}`, problem);
    }
  }
  const more = b.moreRejected;
  if (more !== undefined && (!Number.isSafeInteger(more) || (more as number) < 0)) return badField('moreRejected', 'must be a whole number, 0 or more');
  return {
    ok: true,
    value: { batch: b.batch as string, captured: captured as CapturedEvent[], rejected: rejected as CaptureRejection[], ...(more ? { moreRejected: more as number } : {}) },
  };
}
