// Browser-to-server events: the wire shape of contract section 2, with the runtime schema
// both the companion (intake) and the extension (tracker, worker) validate against.
import { z } from 'zod';
import { missingIdentifier, nonEmptyString } from './identifiers';
import { problemOf, type Problem } from './problems';

export const SYSTEM_EVENT_NAMES = [
  'VisitStarted',
  'PageEntered',
  'PageExited',
  'SignIn',
  'SignOut',
  'UserInfo',
] as const;
export type SystemEventName = (typeof SYSTEM_EVENT_NAMES)[number];
export type EventType = 'SYSTEM' | 'BUSINESS';

/** Limits that keep one event small enough to store and render; generous for real sites. */
export const LIMITS = {
  idLength: 256,
  nameLength: 256,
  textLength: 8192,
  dataDepth: 16,
  dataKeys: 1000,
} as const;

/**
 * Whether a string is well-formed UTF-16 (no lone surrogate, as a JSON "\ud800" escape gives).
 * A lone surrogate has no UTF-8 form: as an id it could never be asked for in a URL, and
 * encodeURIComponent (a Location header) and the paging keys would fail on it.
 */
export const wellFormed = (v: string): boolean =>
  // isWellFormed (ES2024, Node 20) is many times faster than the regex, which older browsers need.
  (v as { isWellFormed?: () => boolean }).isWellFormed?.() ?? !/\p{Cs}/u.test(v);

// Ids become keys of the companion's tables; `__proto__` as a key would reach the prototype.
// Kept as given (no trimming: " e1" and "e1" are two ids); blank is refused, and so is
// anything that trims to `__proto__` (identity ids are trimmed), and a lone surrogate.
// One `check` rather than a `refine` per rule: the same rules at a fraction of the cost
// (validation was the largest part of intake's CPU time).
export const IdSchema = z
  .string()
  .max(LIMITS.idLength)
  .check((ctx) => {
    const v = ctx.value.trim();
    const message =
      v.length === 0 ? 'must be a non-empty string'
      : v === '__proto__' ? 'must not be "__proto__"'
      : !wellFormed(ctx.value) ? 'must not hold a lone surrogate'
      : null;
    if (message) ctx.issues.push({ code: 'custom', message, input: ctx.value });
  });
const id = IdSchema;
const text = z.string().max(LIMITS.textLength);

/** An event as the tracker sends it. Fields outside the contract are dropped, not stored. */
export const GtEventSchema = z.object({
  eventType: z.enum(['SYSTEM', 'BUSINESS']),
  eventName: z.string().trim().min(1, 'must be a non-empty string').max(LIMITS.nameLength),
  eventID: id,
  pageID: id.optional(),
  timestamp: z.number().finite().nonnegative(),
  category: text.optional(),
  url: text.optional(),
  languageCode: z.string().max(64).optional(),
  globalVisitID: id,
  visitID: id,
  sessionID: id.optional(),
  // A loose object rather than a record: same acceptance, a third of the validation time
  // (keys are checked on the raw input by checkData).
  data: z.looseObject({}).optional(),
});
export type GtEvent = z.infer<typeof GtEventSchema>;

/** An event as the companion stores and serves it: the browser's fields plus the server's. */
export interface StoredEvent extends GtEvent {
  /** When the companion received it (ms). */
  serverTimestamp: number;
  /** The browser's page id (pageID), under the name GWE's History API uses. */
  browserPageID: string | null;
  /** Addition: the visit's visitor state right after this event was applied. */
  visitorState: VisitorState;
}

export type VisitorState = 'Anonymous' | 'Recognized' | 'Authenticated';
export type VisitScope = 'Authenticated' | 'Recognized';

/** What is wrong with one event; `field` is `event` for the whole item. */
export type EventProblem = Problem;

export type EventCheck = { ok: true; event: GtEvent } | { ok: false; problem: EventProblem };

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Finds keys that could pollute prototypes and nesting too deep to store safely. */
function checkData(value: unknown, path: string, depth: number): EventProblem | null {
  if (value === null || typeof value !== 'object') return null;
  if (depth > LIMITS.dataDepth) {
    return { field: path, reason: `nested deeper than ${LIMITS.dataDepth} levels` };
  }
  const keys = Object.keys(value);
  if (keys.length > LIMITS.dataKeys) {
    return { field: path, reason: `more than ${LIMITS.dataKeys} keys` };
  }
  const array = Array.isArray(value);
  for (const key of keys) {
    if (!array && FORBIDDEN_KEYS.has(key)) return { field: `${path}.${key}`, reason: `key "${key}" is not allowed` };
    const child = (value as Record<string, unknown>)[key];
    if (child === null || typeof child !== 'object') continue; // a leaf: no path to build
    const problem = checkData(child, array ? `${path}[${key}]` : `${path}.${key}`, depth + 1);
    if (problem) return problem;
  }
  return null;
}


/** An identifier becomes an identityId (a table key and a URL segment): same rules as ids. */
function checkIdentifier(data: Record<string, unknown>, key: 'userId' | 'email'): EventProblem | null {
  // A blank or non-string value is not an identifier (userId falls back to email); the
  // "needs userId or email" check above covers the case where neither is there.
  if (!nonEmptyString(data[key])) return null;
  const parsed = IdSchema.safeParse(data[key]);
  return parsed.success ? null : { field: `data.${key}`, reason: parsed.error.issues[0].message };
}

/** The identifier rules of contract section 1 ("Identifier fields"). */
function checkIdentifiers(ev: GtEvent): EventProblem | null {
  if (ev.eventType !== 'SYSTEM') return null;
  const data = ev.data ?? {};
  switch (ev.eventName) {
    case 'SignIn':
    case 'UserInfo': {
      const missing = missingIdentifier(ev.eventName, data);
      if (missing) {
        const needs = missing.map((k) => `data.${k}`).join(' or ');
        return { field: 'data.userId', reason: `${ev.eventName} needs ${needs} (a non-empty string)` };
      }
      return checkIdentifier(data, 'userId') ?? (ev.eventName === 'SignIn' ? checkIdentifier(data, 'email') : null);
    }
    case 'PageEntered':
    case 'PageExited':
      if (ev.pageID === undefined) return { field: 'pageID', reason: `${ev.eventName} needs pageID` };
      return null;
    default:
      if (!(SYSTEM_EVENT_NAMES as readonly string[]).includes(ev.eventName)) {
        return {
          field: 'eventName',
          reason: `unknown SYSTEM event "${ev.eventName}" (expected one of ${SYSTEM_EVENT_NAMES.join(', ')})`,
        };
      }
      return null;
  }
}

/** Validates one event; the problem names the first bad field. */
export function checkEvent(input: unknown): EventCheck {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, problem: { field: 'event', reason: 'must be a JSON object' } };
  }
  const pollution = Object.keys(input).find((k) => FORBIDDEN_KEYS.has(k));
  if (pollution) return { ok: false, problem: { field: pollution, reason: `key "${pollution}" is not allowed` } };
  // Checked on the raw input: zod's record drops an own `__proto__` key before we could see it.
  const rawData = (input as { data?: unknown }).data;
  const rawProblem = checkData(rawData, 'data', 1);
  if (rawProblem) return { ok: false, problem: rawProblem };
  const parsed = GtEventSchema.safeParse(input);
  if (!parsed.success) {
    const problem = problemOf(parsed.error);
    return { ok: false, problem: problem.field === 'body' ? { ...problem, field: 'event' } : problem };
  }
  const idProblem = checkIdentifiers(parsed.data);
  if (idProblem) return { ok: false, problem: idProblem };
  return { ok: true, event: parsed.data };
}

/** The identityId an identifying event carries (contract: userId, else email). */
export function identityIdOf(ev: Pick<GtEvent, 'eventName' | 'data'>): string | null {
  const data = ev.data ?? {};
  if (ev.eventName === 'SignIn') {
    if (nonEmptyString(data.userId)) return data.userId.trim();
    if (nonEmptyString(data.email)) return data.email.trim();
    return null;
  }
  if (ev.eventName === 'UserInfo' && nonEmptyString(data.userId)) return data.userId.trim();
  return null;
}
