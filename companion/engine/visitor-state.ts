// The visitor state of a visit at a moment (contract section 3, [decision]):
// Authenticated while a session is open; else Recognized after a UserInfo in this visit;
// else Anonymous. A visit past its expiry has no open session any more.
import type { GtEvent, VisitorState } from '../../protocol';
import type { EngineConfig, VisitRecord } from './state';

/** How far ahead of the companion's clock an event's timestamp still counts as sent. */
export const MAX_CLOCK_LEAD_MS = 60 * 60 * 1000;

/**
 * The time the engine reckons an event at (dates of visits, pages and sessions, activity,
 * expiry, the order of SignIn and SignOut): its browser timestamp, but no later than an hour
 * after the companion received it. A browser clock far ahead (or a hand-made 1e15) would
 * otherwise keep its visit active, and Authenticated, for as long as the clock is ahead. The
 * event itself keeps the timestamp as sent. serverTimestamp is in the stored event, so replay
 * gives the same times; and the rule keeps order: of two events sent and received in order,
 * the later one never counts as earlier.
 */
export function eventTime(ev: GtEvent & { serverTimestamp?: number }): number {
  return ev.serverTimestamp === undefined ? ev.timestamp : countedTime(ev.timestamp, ev.serverTimestamp);
}

/** eventTime of an event stamped `timestamp` by the browser and received at `serverTimestamp`. */
export function countedTime(timestamp: number, serverTimestamp: number): number {
  const limit = serverTimestamp + MAX_CLOCK_LEAD_MS;
  return timestamp > limit ? limit : timestamp;
}

export function expiresAt(visit: VisitRecord, config: EngineConfig): number {
  return visit.lastActivity + config.visitExpirationTime * 1000;
}

/**
 * True when the visit has been inactive for longer than visitExpirationTime at `now`. A
 * visitExpirationTime of 0 means, as in GWE, that visits never expire.
 */
export function isExpired(visit: VisitRecord, now: number, config: EngineConfig): boolean {
  return config.visitExpirationTime > 0 && now > expiresAt(visit, config);
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
