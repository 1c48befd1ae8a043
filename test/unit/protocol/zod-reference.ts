// The event check as it was written with zod, before protocol/events.ts checked events by hand
// (for speed). Kept as the reference the hand-written check must agree with: same acceptance,
// same field named, same reason, same event out (test/unit/protocol/check-event-equivalence.test.ts).
import { canonicalIdentityId, type EventCheck, type EventProblem, type GtEvent, IDENTITY_FORM, IdSchema, LIMITS, missingIdentifier, nonEmptyString, problemOf, SYSTEM_EVENT_NAMES } from '../../../protocol';
// The schema itself lives in protocol/ (the OpenAPI document is generated from it too).
import { GtEventSchema } from '../../../protocol/event-schema';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function checkData(value: unknown, path: string, depth: number): EventProblem | null {
  if (value === null || typeof value !== 'object') return null;
  if (depth > LIMITS.dataDepth) return { field: path, reason: `nested deeper than ${LIMITS.dataDepth} levels` };
  const keys = Object.keys(value);
  if (keys.length > LIMITS.dataKeys) return { field: path, reason: `more than ${LIMITS.dataKeys} keys` };
  const array = Array.isArray(value);
  for (const key of keys) {
    if (!array && FORBIDDEN_KEYS.has(key)) return { field: `${path}.${key}`, reason: `key "${key}" is not allowed` };
    const problem = checkData((value as Record<string, unknown>)[key], array ? `${path}[${key}]` : `${path}.${key}`, depth + 1);
    if (problem) return problem;
  }
  return null;
}

function checkIdentifier(data: Record<string, unknown>, key: 'userId' | 'email'): EventProblem | null {
  if (!nonEmptyString(data[key])) return null;
  const parsed = IdSchema.safeParse(data[key]);
  if (!parsed.success) return { field: `data.${key}`, reason: parsed.error.issues[0].message };
  const asId = IdSchema.safeParse(canonicalIdentityId(data[key] as string));
  return asId.success ? null : { field: `data.${key}`, reason: `${IDENTITY_FORM}: ${asId.error.issues[0].message}` };
}

type IdCheck = { problem: EventProblem } | { warnings?: EventProblem[] };

function checkIdentifiers(ev: GtEvent): IdCheck {
  if (ev.eventType !== 'SYSTEM') return {};
  const data = ev.data ?? {};
  switch (ev.eventName) {
    case 'SignIn':
    case 'UserInfo': {
      const problem = checkIdentifier(data, 'userId') ?? (ev.eventName === 'SignIn' ? checkIdentifier(data, 'email') : null);
      if (problem) return { problem };
      const missing = missingIdentifier(ev.eventName, data);
      if (!missing) return {};
      const needs = missing.map((k) => `data.${k}`).join(' or ');
      const hint = ev.eventName === 'UserInfo' && nonEmptyString(data.email) ? ' (data.email does not identify a UserInfo: send the userId the SignIn named)' : '';
      return { warnings: [{ field: 'data.userId', reason: `${ev.eventName} without ${needs} (a non-empty string): stored, but it identifies no one${hint}` }] };
    }
    case 'PageEntered':
    case 'PageExited':
      return ev.pageID === undefined ? { problem: { field: 'pageID', reason: `${ev.eventName} needs pageID` } } : {};
    default:
      if (!(SYSTEM_EVENT_NAMES as readonly string[]).includes(ev.eventName)) {
        const reason = `"${ev.eventName}" is not one of GWE's SYSTEM events (${SYSTEM_EVENT_NAMES.join(', ')}): stored, but it changes nothing in identification`;
        return { warnings: [{ field: 'eventName', reason }] };
      }
      return {};
  }
}

export function zodCheckEvent(input: unknown): EventCheck {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, problem: { field: 'event', reason: 'must be a JSON object' } };
  }
  const pollution = Object.keys(input).find((k) => FORBIDDEN_KEYS.has(k));
  if (pollution) return { ok: false, problem: { field: pollution, reason: `key "${pollution}" is not allowed` } };
  const rawProblem = checkData((input as { data?: unknown }).data, 'data', 1);
  if (rawProblem) return { ok: false, problem: rawProblem };
  // sessionId (GWE's clients' spelling) counts only when sessionID is not there.
  const o = { ...(input as Record<string, unknown>) };
  if (o.sessionID !== undefined) delete o.sessionId;
  const parsed = GtEventSchema.safeParse(o);
  if (!parsed.success) {
    const problem = problemOf(parsed.error);
    return { ok: false, problem: problem.field === 'body' ? { ...problem, field: 'event' } : problem };
  }
  const { sessionId, ...rest } = parsed.data;
  const event = { ...rest, sessionID: rest.sessionID ?? sessionId } as GtEvent;
  const ids = checkIdentifiers(event);
  if ('problem' in ids) return { ok: false, problem: ids.problem };
  return ids.warnings ? { ok: true, event, warnings: ids.warnings } : { ok: true, event };
}
