// Under --auth, intake stays open (the tracker cannot send credentials) but History is closed:
// intake must not tell a caller without credentials what History would. Its `duplicate` would
// (post an event with a guessed eventID: `duplicate` means the companion holds it). So such a
// caller hears `accepted` for every event that is stored, now or before: true either way, the
// event is stored exactly once. Callers with credentials, and every caller without --auth, hear
// `duplicate` as before; the intake log line keeps the true counts for the operator.
// The same goes for an eventID reused by another event: refused (naming the visit that has it)
// for those who may know, `accepted` for the others, as a new eventID would be. That one is not
// stored: anything else would tell whether the eventID exists; the log line says it was refused.
import type { RequestHandler, Response } from 'express';
import type { IntakeResponse, IntakeResult } from '../../protocol';
import { hasCredentials } from './security';

/** Results refused because their eventID belongs to another stored event. */
const reused = new WeakSet<IntakeResult>();

export function markReused(result: IntakeResult): void {
  reused.add(result);
}

/** Marks whether this request may learn which events are already stored. */
export function intakeCaller(credentials: string | undefined): RequestHandler {
  return (req, res, next) => {
    res.locals.mayKnowStored = !credentials || hasCredentials(req, credentials);
    next();
  };
}

/**
 * The answer this caller may have: to one without credentials, duplicates and reused eventIDs
 * are told as accepted (with the warnings a new event would have).
 */
export function forCaller(res: Response, response: IntakeResponse): IntakeResponse {
  if (res.locals.mayKnowStored !== false) return response;
  const hidden = (r: IntakeResult) => r.status === 'duplicate' || reused.has(r);
  if (!response.results.some(hidden)) return response;
  const results = response.results.map((r): IntakeResult => {
    if (!hidden(r)) return r;
    // The categories come from the event as sent, as a new event's would: kept, or their
    // absence would tell the event was stored before.
    const { index, eventID, warnings, category } = r;
    return { index, eventID, status: 'accepted', ...(warnings ? { warnings } : {}), ...(category ? { category } : {}) };
  });
  const count = (s: IntakeResult['status']) => results.filter((r) => r.status === s).length;
  return { accepted: count('accepted'), duplicate: 0, rejected: count('rejected'), results };
}
