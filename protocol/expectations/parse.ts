// Reading a spec (issue 11, "Expectations"): every mistake a person can make in one is named by
// its place (`visits[0].steps[2].url.re`), so a 400 or the `visitor-lab check` command can point
// at the line to fix. Pure: no I/O. The checker (check.ts) trusts what this returns.
import { userRegexProblem } from '../user-regex';
import type { Spec, SpecProblem, Step } from './types';

export const VISITOR_STATES = ['Anonymous', 'Recognized', 'Authenticated'] as const;
export const VISIT_SCOPES = ['Authenticated', 'Recognized'] as const;

/** Limits that keep one check cheap whatever the spec: the checker walks every visit per expectation. */
export const SPEC_LIMITS = { visits: 100, steps: 200, identities: 100, text: 2000, depth: 16 } as const;

/**
 * Stored-event fields an event step may name besides `event`, `url`, `title` and `data`
 * (matched exactly). A field outside this list is refused: it is most likely a typo
 * (`eventname`, `URL`) that would otherwise never match and read as a site bug.
 */
export const EVENT_FIELDS = [
  'eventType', 'eventID', 'pageID', 'browserPageID', 'timestamp', 'serverTimestamp', 'category',
  'languageCode', 'globalVisitID', 'visitID', 'sessionID', 'timezoneOffset', 'visitorState',
] as const;

const TOP_KEYS = ['name', 'visits', 'identities', 'noRejected', 'noUndelivered', 'noDuplicates'];

class Refused extends Error {
  constructor(readonly place: string, readonly reason: string) {
    super(reason);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (words: readonly string[]) => words.join(', ');
const join = (place: string, key: string) =>
  !/^[A-Za-z_$][\w$]*$/.test(key) ? `${place}[${JSON.stringify(key)}]` : place === '' ? key : `${place}.${key}`;

function text(v: unknown, place: string): string {
  if (typeof v !== 'string') throw new Refused(place, 'must be a string');
  if (v.length > SPEC_LIMITS.text) throw new Refused(place, `must be at most ${SPEC_LIMITS.text} characters`);
  return v;
}

/** `{re}`: a JavaScript regular expression that cannot take exponential time. */
function regex(v: Record<string, unknown>, place: string): void {
  const extra = Object.keys(v).find((k) => k !== 're');
  if (extra !== undefined) throw new Refused(join(place, extra), 'is not allowed beside "re" (a regular expression is {"re": "..."})');
  const problem = userRegexProblem(text(v.re, `${place}.re`));
  if (problem) throw new Refused(`${place}.re`, problem);
}

const isRe = (v: unknown): v is Record<string, unknown> => isObject(v) && 're' in v;

/** A field's expected value: a string, number, boolean, null, or {re}. */
function matcher(v: unknown, place: string): void {
  if (isRe(v)) return regex(v, place);
  if (typeof v === 'string') return void text(v, place);
  if (typeof v === 'number' && !Number.isFinite(v)) throw new Refused(place, 'must be a finite number');
  if (v === null || typeof v === 'number' || typeof v === 'boolean') return;
  throw new Refused(place, 'must be a string, a number, true/false, null or {"re": "..."}');
}

/** Inside an array: plain JSON, compared exactly (an array matches exactly, so no {re} in it). */
function plain(v: unknown, place: string, depth: number): void {
  if (depth > SPEC_LIMITS.depth) throw new Refused(place, `nested deeper than ${SPEC_LIMITS.depth} levels`);
  if (isRe(v)) throw new Refused(place, 'an array matches exactly: it cannot hold {"re": ...} (match the array\'s items as an object\'s keys instead, or the whole array)');
  if (Array.isArray(v)) return v.forEach((item, i) => plain(item, `${place}[${i}]`, depth + 1));
  if (isObject(v)) {
    for (const [key, child] of Object.entries(v)) plain(child, join(place, key), depth + 1);
    return;
  }
  if (typeof v === 'number' && !Number.isFinite(v)) throw new Refused(place, 'must be a finite number');
  if (typeof v === 'string') text(v, place);
}

/** `data`: the listed keys only, nested objects the same way; arrays compare exactly. */
function dataMatcher(v: unknown, place: string, depth: number): void {
  if (depth > SPEC_LIMITS.depth) throw new Refused(place, `nested deeper than ${SPEC_LIMITS.depth} levels`);
  if (Array.isArray(v)) return v.forEach((item, i) => plain(item, `${place}[${i}]`, depth + 1));
  if (isObject(v) && !isRe(v)) {
    for (const [key, child] of Object.entries(v)) dataMatcher(child, join(place, key), depth + 1);
    return;
  }
  matcher(v, place);
}

function eventName(v: unknown, place: string): void {
  if (isRe(v)) return regex(v, place);
  if (typeof v !== 'string' || v.trim() === '') throw new Refused(place, 'must be an event name (a non-empty string) or {"re": "..."}');
  text(v, place);
}

function state(v: unknown, place: string): void {
  if (typeof v !== 'string' || !(VISITOR_STATES as readonly string[]).includes(v)) {
    throw new Refused(place, `must be a visitor state: ${list(VISITOR_STATES)} (got ${JSON.stringify(v) ?? 'nothing'})`);
  }
}

function count(v: unknown, place: string): void {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new Refused(place, `must be a whole number 0 or more (got ${JSON.stringify(v) ?? 'nothing'})`);
}

function step(v: unknown, place: string): void {
  if (!isObject(v)) throw new Refused(place, 'a step must be an object: {"event": ...}, {"state": ...} or {"count": N, "event": ...}');
  const keys = Object.keys(v);
  if ('state' in v) {
    const extra = keys.find((k) => k !== 'state');
    if (extra !== undefined) throw new Refused(join(place, extra), 'a state step holds only "state" (write the event it follows as its own step before it)');
    return state(v.state, `${place}.state`);
  }
  if ('count' in v) {
    const extra = keys.find((k) => k !== 'count' && k !== 'event');
    if (extra !== undefined) throw new Refused(join(place, extra), 'a count step holds only "count" and "event"');
    if (!('event' in v)) throw new Refused(`${place}.event`, 'a count step needs the event name it counts');
    count(v.count, `${place}.count`);
    return eventName(v.event, `${place}.event`);
  }
  if (!('event' in v)) throw new Refused(place, 'a step needs one of event, state or count');
  eventName(v.event, `${place}.event`);
  for (const key of keys) {
    const at = join(place, key);
    if (key === 'event') continue;
    if (key === 'data') {
      if (!isObject(v.data) || isRe(v.data)) throw new Refused(at, 'must be an object of the data keys to match');
      dataMatcher(v.data, at, 1);
    } else if (key === 'url' || key === 'title') {
      if (typeof v[key] !== 'string' && !isRe(v[key])) throw new Refused(at, 'must be a string (a part of it) or {"re": "..."}');
      matcher(v[key], at);
    } else if (key === 'visitorState') {
      state(v[key], at);
    } else if ((EVENT_FIELDS as readonly string[]).includes(key)) {
      matcher(v[key], at);
    } else {
      throw new Refused(at, `is not an event field (event, url, title, data, ${list(EVENT_FIELDS)})`);
    }
  }
}

function visitExpectation(v: unknown, place: string): void {
  if (!isObject(v)) throw new Refused(place, 'must be an object {"name"?, "steps": [...]}');
  const extra = Object.keys(v).find((k) => k !== 'name' && k !== 'steps');
  if (extra !== undefined) throw new Refused(join(place, extra), 'is not a visit expectation field (name, steps)');
  if ('name' in v) text(v.name, `${place}.name`);
  if (!Array.isArray(v.steps)) throw new Refused(`${place}.steps`, 'must be an array of steps');
  if (v.steps.length === 0) throw new Refused(`${place}.steps`, 'must hold at least one step');
  if (v.steps.length > SPEC_LIMITS.steps) throw new Refused(`${place}.steps`, `must hold at most ${SPEC_LIMITS.steps} steps`);
  (v.steps as unknown[]).forEach((s, i) => step(s, `${place}.steps[${i}]`));
}

function identityExpectation(v: unknown, place: string): void {
  if (!isObject(v)) throw new Refused(place, 'must be an object {"identityId", "visitScope"?, "visits"?}');
  const extra = Object.keys(v).find((k) => k !== 'identityId' && k !== 'visitScope' && k !== 'visits');
  if (extra !== undefined) throw new Refused(join(place, extra), 'is not an identity expectation field (identityId, visitScope, visits)');
  if (!('identityId' in v)) throw new Refused(`${place}.identityId`, 'an identity expectation needs the identityId (a userId or an email)');
  if (typeof v.identityId !== 'string' || v.identityId.trim() === '') throw new Refused(`${place}.identityId`, 'must be a non-empty string');
  text(v.identityId, `${place}.identityId`);
  if ('visitScope' in v && !(VISIT_SCOPES as readonly unknown[]).includes(v.visitScope)) {
    throw new Refused(`${place}.visitScope`, `must be ${VISIT_SCOPES.join(' or ')} (GWE's visitScope; got ${JSON.stringify(v.visitScope)})`);
  }
  if ('visits' in v) count(v.visits, `${place}.visits`);
}

function array(v: unknown, place: string, max: number, each: (item: unknown, place: string) => void): void {
  if (!Array.isArray(v)) throw new Refused(place, 'must be an array');
  if (v.length > max) throw new Refused(place, `must hold at most ${max} items`);
  v.forEach((item, i) => each(item, `${place}[${i}]`));
}

function spec(v: unknown): Spec {
  if (!isObject(v)) throw new Refused('', 'a spec must be an object {"name"?, "visits"?, "identities"?, "noRejected"?, "noUndelivered"?, "noDuplicates"?}');
  const extra = Object.keys(v).find((k) => !TOP_KEYS.includes(k));
  if (extra !== undefined) throw new Refused(join('', extra), `is not a spec field (${list(TOP_KEYS)})`);
  if ('name' in v) text(v.name, 'name');
  if ('visits' in v) array(v.visits, 'visits', SPEC_LIMITS.visits, visitExpectation);
  if ('identities' in v) array(v.identities, 'identities', SPEC_LIMITS.identities, identityExpectation);
  for (const flag of ['noRejected', 'noUndelivered', 'noDuplicates']) {
    if (flag in v && typeof v[flag] !== 'boolean') throw new Refused(flag, 'must be true or false');
  }
  const asks = ['visits', 'identities', 'noRejected', 'noUndelivered', 'noDuplicates'].some((k) => k in v && v[k] !== false);
  if (!asks) throw new Refused('', 'a spec must ask for something: visits, identities, noRejected, noUndelivered or noDuplicates');
  // A copy, so that the caller changing its object cannot change what was checked.
  return structuredClone(v) as Spec;
}

/** Reads a spec, or names the first mistake in it (`place` is '' for the spec as a whole). */
export function parseSpec(input: unknown): { ok: true; spec: Spec } | { ok: false; problem: SpecProblem } {
  try {
    return { ok: true, spec: spec(input) };
  } catch (e) {
    if (e instanceof Refused) return { ok: false, problem: { place: e.place, reason: e.reason } };
    throw e;
  }
}

/** A spec's JSON text read, as the popup, the web app and the command take it ('' place: the text itself). */
export function parseSpecText(text: string): { ok: true; spec: Spec } | { ok: false; problem: SpecProblem } {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    return { ok: false, problem: { place: '', reason: `is not JSON: ${(e as Error).message}` } };
  }
  return parseSpec(json);
}

/** The kind of a step the parser accepted. */
export function stepKind(s: Step): 'state' | 'count' | 'event' {
  return 'state' in s ? 'state' : 'count' in s ? 'count' : 'event';
}
