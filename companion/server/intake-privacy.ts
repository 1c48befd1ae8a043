// Under --auth, intake stays open (the tracker cannot send credentials) but History is closed:
// intake must not tell a caller without credentials what History would. Its `duplicate` would
// (post an event with a guessed eventID: `duplicate` means the companion holds it). So such a
// caller hears `accepted` for every event that is stored, now or before: true either way, the
// event is stored exactly once. Callers with credentials, and every caller without --auth, hear
// `duplicate` as before; the intake log line keeps the true counts for the operator.
import type { RequestHandler, Response } from 'express';
import type { IntakeResponse } from '../../protocol';
import { hasCredentials } from './security';

/** Marks whether this request may learn which events are already stored. */
export function intakeCaller(credentials: string | undefined): RequestHandler {
  return (req, res, next) => {
    res.locals.mayKnowStored = !credentials || hasCredentials(req, credentials);
    next();
  };
}

/** The answer this caller may have: duplicates told as accepted to one without credentials. */
export function forCaller(res: Response, response: IntakeResponse): IntakeResponse {
  if (res.locals.mayKnowStored !== false || response.duplicate === 0) return response;
  return {
    accepted: response.accepted + response.duplicate,
    duplicate: 0,
    rejected: response.rejected,
    results: response.results.map((r) => (r.status === 'duplicate' ? { ...r, status: 'accepted' } : r)),
  };
}
