// Browser-to-server events: the wire shape of contract section 2, and the check both the
// companion (intake) and the extension (worker) run on each event.
//
// The check is written by hand rather than with zod: it reads each field of the parsed JSON
// once and builds the event in one go, where zod's schema copied every event through its
// generic machinery (a tenth of intake's CPU time, and much of its garbage). Its reasons are
// zod's words, so an answer reads the same as before; test/unit/protocol/zod-reference.ts
// holds the former schema, and a property test checks the two agree.
import { canonicalIdentityId, missingIdentifier, nonEmptyString } from './identifiers';
import type { Problem } from './problems';

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

/**
 * Timestamps from here on are refused: GWE's server keeps an event's time as a 64-bit integer
 * of milliseconds (a Java long) and could not read 1e300 at all. Below it, a timestamp however
 * far ahead is what GWE would store: it is stored as sent (see docs/identification.md for how
 * the engine keeps such a clock from pinning a visit).
 */
export const MAX_TIMESTAMP = 2 ** 63;
export const TIMESTAMP_TOO_BIG = 'must be ms since 1970 below 2^63 (GWE keeps it as a 64-bit integer)';

/** zod's reason for a string past its limit. */
const tooLong = (max: number) => `Too big: expected string to have <=${max} characters`;

// Ids become keys of the companion's tables; `__proto__` as a key would reach the prototype.
// Kept as given (no trimming: " e1" and "e1" are two ids); blank is refused, and so is
// anything that trims to `__proto__` (identity ids are trimmed), and a lone surrogate.
/** Why a string is not an id, or null when it is one (IdSchema in ids.ts applies the same rules). */
export function idProblem(v: string): string | null {
  if (v.length > LIMITS.idLength) return tooLong(LIMITS.idLength);
  const t = v.trim();
  return t.length === 0 ? 'must be a non-empty string'
    : t === '__proto__' ? 'must not be "__proto__"'
    : !wellFormed(v) ? 'must not hold a lone surrogate'
    : null;
}

/** An event as the tracker sends it. Fields outside the contract are dropped, not stored. */
export interface GtEvent {
  eventType: EventType;
  /** Trimmed. */
  eventName: string;
  eventID: string;
  pageID?: string;
  timestamp: number;
  category?: string;
  url?: string;
  languageCode?: string;
  globalVisitID: string;
  visitID: string;
  sessionID?: string;
  /**
   * VisitStarted: the browser's offset from UTC, as the tracker reads it (minutes, as
   * Date.getTimezoneOffset gives). Any event may carry it; it is stored as sent.
   */
  timezoneOffset?: number;
  data?: Record<string, unknown>;
}

/**
 * An event as the companion stores it: the browser's fields plus the server's. The History API
 * serves it with `pageID` naming its page resource (`visitId:browserPageID`) and `category`
 * always there (companion/server/history/views.ts, servedEvent).
 */
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

/**
 * `warnings`: what GWE would store but cannot use (a SignIn without an identifier, a SYSTEM
 * name GWE does not know): the event is valid and stored, and the tester is told why it
 * changes nothing.
 */
export type EventCheck = { ok: true; event: GtEvent; warnings?: EventProblem[] } | { ok: false; problem: EventProblem };

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const hasOwn = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);

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

/** How zod names what it got instead ("number", "null", "array", "NaN", "Infinity", a class). */
function receivedOf(v: unknown): string {
  if (typeof v === 'number') return Number.isFinite(v) ? 'number' : String(v);
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object' && Object.getPrototypeOf(v) !== Object.prototype && 'constructor' in v && v.constructor) {
    return (v.constructor as { name: string }).name;
  }
  return typeof v;
}
const expected = (type: string, v: unknown) => `Invalid input: expected ${type}, received ${receivedOf(v)}`;

/** Why a field is not an id; `undefined` passes when the field is optional. */
function idReason(v: unknown, optional: boolean): string | null {
  if (typeof v === 'string') return idProblem(v);
  return v === undefined && optional ? null : expected('string', v);
}

/** Why an optional text field is not one. */
function textReason(v: unknown, max: number): string | null {
  if (typeof v === 'string') return v.length > max ? tooLong(max) : null;
  return v === undefined ? null : expected('string', v);
}

/** The first bad field in the contract's order (the order zod's schema had), or null. */
function fieldProblem(o: Record<string, unknown>): EventProblem | null {
  let reason: string | null;
  const { eventType, eventName, timestamp, data } = o;
  if (eventType !== 'SYSTEM' && eventType !== 'BUSINESS') {
    return { field: 'eventType', reason: 'Invalid option: expected one of "SYSTEM"|"BUSINESS"' };
  }
  if (typeof eventName !== 'string') return { field: 'eventName', reason: expected('string', eventName) };
  const name = eventName.trim();
  if (name.length === 0) return { field: 'eventName', reason: 'must be a non-empty string' };
  if (name.length > LIMITS.nameLength) return { field: 'eventName', reason: tooLong(LIMITS.nameLength) };
  if ((reason = idReason(o.eventID, false))) return { field: 'eventID', reason };
  if ((reason = idReason(o.pageID, true))) return { field: 'pageID', reason };
  if (typeof timestamp !== 'number' || !Number.isFinite(timestamp)) return { field: 'timestamp', reason: expected('number', timestamp) };
  if (timestamp < 0) return { field: 'timestamp', reason: 'Too small: expected number to be >=0' };
  if (timestamp >= MAX_TIMESTAMP) return { field: 'timestamp', reason: TIMESTAMP_TOO_BIG };
  if ((reason = textReason(o.category, LIMITS.textLength))) return { field: 'category', reason };
  if ((reason = textReason(o.url, LIMITS.textLength))) return { field: 'url', reason };
  if ((reason = textReason(o.languageCode, 64))) return { field: 'languageCode', reason };
  if ((reason = idReason(o.globalVisitID, false))) return { field: 'globalVisitID', reason };
  if ((reason = idReason(o.visitID, false))) return { field: 'visitID', reason };
  if ((reason = idReason(o.sessionID, true))) return { field: 'sessionID', reason };
  if (o.sessionID === undefined && (reason = idReason(o.sessionId, true))) return { field: 'sessionId', reason };
  if (o.timezoneOffset !== undefined && (typeof o.timezoneOffset !== 'number' || !Number.isFinite(o.timezoneOffset))) {
    return { field: 'timezoneOffset', reason: expected('number', o.timezoneOffset) };
  }
  if (data !== undefined && (data === null || typeof data !== 'object' || Array.isArray(data))) {
    return { field: 'data', reason: expected('object', data) };
  }
  return null;
}

/**
 * An identifier becomes an identityId (a table key and a URL segment): same rules as ids, for
 * the value as sent and for the identityId it gives (`__PROTO__@X`, or full-width `＿＿proto＿＿`,
 * must not become a key that reaches the prototype).
 */
function checkIdentifier(data: Record<string, unknown>, key: 'userId' | 'email'): EventProblem | null {
  // A blank or non-string value is not an identifier (userId falls back to email); the
  // "needs userId or email" check above covers the case where neither is there.
  const value = data[key];
  if (!nonEmptyString(value)) return null;
  const reason = idProblem(value);
  if (reason) return { field: `data.${key}`, reason };
  const asId = idProblem(canonicalIdentityId(value));
  return asId ? { field: `data.${key}`, reason: `${IDENTITY_FORM}: ${asId}` } : null;
}

/** Says which form of the identifier broke the id rules, when the value as sent did not. */
export const IDENTITY_FORM = 'as an identityId (NFKC, trimmed, an email in lower case)';

/** What an identifying event without its identifier is told (contract section 1). */
function noIdentifierWarning(ev: GtEvent, missing: Array<'userId' | 'email'>): EventProblem {
  const needs = missing.map((k) => `data.${k}`).join(' or ');
  const emailOnly = ev.eventName === 'UserInfo' && nonEmptyString(ev.data?.email);
  const hint = emailOnly ? ' (data.email does not identify a UserInfo: send the userId the SignIn named)' : '';
  return { field: 'data.userId', reason: `${ev.eventName} without ${needs} (a non-empty string): stored, but it identifies no one${hint}` };
}

/**
 * The identifier rules of contract section 1: a problem (rejected) when an identifier cannot
 * be stored safely, else the warnings (stored, no effect on identification).
 */
function checkIdentifiers(ev: GtEvent): { problem: EventProblem } | { warnings?: EventProblem[] } {
  if (ev.eventType !== 'SYSTEM') return {};
  const data = ev.data ?? {};
  switch (ev.eventName) {
    case 'SignIn':
    case 'UserInfo': {
      const problem = checkIdentifier(data, 'userId') ?? (ev.eventName === 'SignIn' ? checkIdentifier(data, 'email') : null);
      if (problem) return { problem };
      const missing = missingIdentifier(ev.eventName, data);
      return missing ? { warnings: [noIdentifierWarning(ev, missing)] } : {};
    }
    case 'PageEntered':
    case 'PageExited':
      // The page resource is named by it: GWE could not make or close the page without it.
      if (ev.pageID === undefined) return { problem: { field: 'pageID', reason: `${ev.eventName} needs pageID` } };
      return {};
    default:
      if (!(SYSTEM_EVENT_NAMES as readonly string[]).includes(ev.eventName)) {
        const reason = `"${ev.eventName}" is not one of GWE's SYSTEM events (${SYSTEM_EVENT_NAMES.join(', ')}): stored, but it changes nothing in identification`;
        return { warnings: [{ field: 'eventName', reason }] };
      }
      return {};
  }
}

const NOT_AN_OBJECT: EventCheck = { ok: false, problem: { field: 'event', reason: 'must be a JSON object' } };

/**
 * Validates one event; the problem names the first bad field. The event is a new object
 * holding the contract's fields only (unknown ones are dropped), with the name trimmed; `data`
 * is the input's own, checked in place. An optional field left out is there as undefined
 * (JSON leaves it out): one shape for every event, which V8 handles fastest.
 */
export function checkEvent(input: unknown): EventCheck {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return NOT_AN_OBJECT;
  const o = input as Record<string, unknown>;
  // JSON.parse makes `__proto__` an own key: checked as such, then named in key order.
  if (hasOwn(o, '__proto__') || hasOwn(o, 'constructor') || hasOwn(o, 'prototype')) {
    const key = Object.keys(o).find((k) => FORBIDDEN_KEYS.has(k))!;
    return { ok: false, problem: { field: key, reason: `key "${key}" is not allowed` } };
  }
  const dataProblem = checkData(o.data, 'data', 1) ?? fieldProblem(o);
  if (dataProblem) return { ok: false, problem: dataProblem };
  const event: GtEvent = {
    eventType: o.eventType as EventType,
    eventName: (o.eventName as string).trim(),
    eventID: o.eventID as string,
    pageID: o.pageID as string | undefined,
    timestamp: o.timestamp as number,
    category: o.category as string | undefined,
    url: o.url as string | undefined,
    languageCode: o.languageCode as string | undefined,
    globalVisitID: o.globalVisitID as string,
    visitID: o.visitID as string,
    // GWE's own clients also spell it sessionId: read as sessionID, stored under that name.
    sessionID: (o.sessionID ?? o.sessionId) as string | undefined,
    timezoneOffset: o.timezoneOffset as number | undefined,
    data: o.data as Record<string, unknown> | undefined,
  };
  const ids = checkIdentifiers(event);
  if ('problem' in ids) return { ok: false, problem: ids.problem };
  return ids.warnings ? { ok: true, event, warnings: ids.warnings } : { ok: true, event };
}

/**
 * The identityId an identifying event carries (contract: userId, else email), in its canonical
 * form (canonicalIdentityId: NFKC, trimmed, email addresses in lower case).
 */
export function identityIdOf(ev: Pick<GtEvent, 'eventName' | 'data'>): string | null {
  const data = ev.data ?? {};
  if (ev.eventName === 'SignIn') {
    if (nonEmptyString(data.userId)) return canonicalIdentityId(data.userId);
    if (nonEmptyString(data.email)) return canonicalIdentityId(data.email);
    return null;
  }
  if (ev.eventName === 'UserInfo' && nonEmptyString(data.userId)) return canonicalIdentityId(data.userId);
  return null;
}
