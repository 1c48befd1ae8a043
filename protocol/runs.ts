// Runs (issue 11): a named stretch of testing that scopes what it captured. The resource the
// lab API answers, and the parser of POST /lab/runs's body. Pure: no I/O.
import type { CaptureProblem } from './expectations/types';

/** The request header naming the run an intake request's events belong to. */
export const RUN_HEADER = 'X-Lab-Run';
export const MAX_RUN_NAME = 200;
/** Problems kept per run (the first ones); the counts stay exact past it. */
export const MAX_RUN_PROBLEMS = 100;
/** Check results kept per run (the latest ones are what a person wants; the first are kept, as problems). */
export const MAX_RUN_CHECKS = 100;

/** runIds the companion makes: `run-` and URL-safe characters; anything else names no run. */
export const RUN_ID = /^run-[A-Za-z0-9_-]{1,64}$/;

/** An intake rejection or duplicate of a request that belonged to the run. */
export type RunProblem = CaptureProblem & { kind: 'rejected' | 'duplicate' };

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
  /** Checks run against it, oldest first (the first MAX_RUN_CHECKS). */
  checks: RunCheck[];
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
