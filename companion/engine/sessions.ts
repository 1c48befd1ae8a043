// Sessions: each SignIn opens one with a new sessionID; SignOut, a later SignIn in the
// same visit, or the visit's expiry closes it. Only Authenticated visitors have one.
import type { GtEvent } from '../../protocol';
import { counted } from './counts';
import { own, type LabState, type SessionRecord, type VisitRecord } from './state';
import { eventTime } from './visitor-state';

export function closeSession(
  state: LabState,
  visit: VisitRecord,
  at: number,
  reason: NonNullable<SessionRecord['endReason']>,
): SessionRecord | null {
  if (visit.activeSessionId === null) return null;
  const session = state.sessions[visit.activeSessionId];
  session.endDate = Math.max(at, session.startDate);
  session.endReason = reason;
  visit.activeSessionId = null;
  return session;
}

/**
 * The id of the session a SignIn opens: the tracker's sessionID when it sent a fresh one,
 * else one derived from the eventID (stable, so replaying the journal gives the same id).
 */
function newSessionId(state: LabState, ev: GtEvent): string {
  if (ev.sessionID && !own(state.sessions, ev.sessionID)) return ev.sessionID;
  let n = 1;
  while (own(state.sessions, sessionCandidate(ev.eventID, n))) n++;
  return sessionCandidate(ev.eventID, n);
}

/** The nth id a session opened by this event may take when the tracker's is taken. */
export const sessionCandidate = (eventID: string, n: number): string => (n === 1 ? `session-${eventID}` : `session-${eventID}-${n}`);

export function openSession(state: LabState, visit: VisitRecord, identityId: string, ev: GtEvent): SessionRecord {
  const session: SessionRecord = {
    sessionId: newSessionId(state, ev),
    visitId: visit.visitId,
    identityId,
    startDate: eventTime(ev),
    endDate: 0,
    endReason: null,
  };
  state.sessions[session.sessionId] = session;
  counted(state, 'sessions');
  visit.activeSessionId = session.sessionId;
  return session;
}
