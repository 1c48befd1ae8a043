// The visitor state of a visit at a moment (contract section 3, [decision]):
// Authenticated while a session is open; else Recognized after a UserInfo in this visit;
// else Anonymous. A visit past its expiry has no open session any more.
import type { VisitorState } from '../../protocol';
import type { EngineConfig, VisitRecord } from './state';

export function expiresAt(visit: VisitRecord, config: EngineConfig): number {
  return visit.lastActivity + config.visitExpirationTime * 1000;
}

/** True when the visit has been inactive for longer than visitExpirationTime at `now`. */
export function isExpired(visit: VisitRecord, now: number, config: EngineConfig): boolean {
  return now > expiresAt(visit, config);
}

export function visitorStateOf(visit: VisitRecord, now: number, config: EngineConfig): VisitorState {
  if (visit.activeSessionId !== null && !isExpired(visit, now, config)) return 'Authenticated';
  if (visit.userInfoAt !== null) return 'Recognized';
  return 'Anonymous';
}

/** The visit's endDate as the History API shows it: 0 while open. */
export function endDateOf(visit: VisitRecord, now: number, config: EngineConfig): number {
  return isExpired(visit, now, config) ? expiresAt(visit, config) : 0;
}
