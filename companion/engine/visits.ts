// Visits: created by VisitStarted, or implicitly by the first event that names an unknown
// visitID (events can arrive out of order; nothing is dropped). Expiry is by inactivity.
import { createHash } from 'node:crypto';
import type { GtEvent } from '../../protocol';
import { own, type EngineConfig, type LabState, type VisitRecord } from './state';
import { eventTime, isExpired } from './visitor-state';
import { closeSession } from './sessions';

/** A short stable id for a user agent string (GWE's userAgentId). */
export function userAgentIdOf(userAgent: string | null): string | null {
  if (!userAgent) return null;
  return 'ua-' + createHash('sha1').update(userAgent).digest('hex').slice(0, 12);
}

export interface VisitSeed {
  visitId: string;
  globalVisitID: string;
  startDate: number;
  userAgent: string | null;
}

export function createVisit(state: LabState, seed: VisitSeed, implicit: boolean): VisitRecord {
  const visit: VisitRecord = {
    visitId: seed.visitId,
    globalVisitID: seed.globalVisitID,
    startDate: seed.startDate,
    lastActivity: seed.startDate,
    userAgent: seed.userAgent,
    userAgentId: userAgentIdOf(seed.userAgent),
    implicit,
    pageIds: [],
    eventIds: [],
    identities: [],
    activeSessionId: null,
    userInfoAt: null,
    orphanSignOutAt: null,
  };
  state.visits[visit.visitId] = visit;
  state.visitOrder.push(visit.visitId);
  return visit;
}

/** The event's visit, created on the spot when the event is the first we hear of it. */
export function visitForEvent(state: LabState, ev: GtEvent, userAgent: string | null): VisitRecord {
  const existing = own(state.visits, ev.visitID);
  if (existing) return existing;
  const isStart = ev.eventType === 'SYSTEM' && ev.eventName === 'VisitStarted';
  const ua = (typeof ev.data?.userAgent === 'string' ? ev.data.userAgent : null) ?? userAgent;
  return createVisit(
    state,
    { visitId: ev.visitID, globalVisitID: ev.globalVisitID, startDate: eventTime(ev), userAgent: ua },
    !isStart,
  );
}

/**
 * Before an event is applied: if the visit went quiet for longer than visitExpirationTime,
 * it ended then: its session closes and its open pages close. The event then carries the
 * visit on (sliding expiry: the browser still holds the same visitID cookie).
 */
export function expireIfIdle(state: LabState, visit: VisitRecord, at: number, config: EngineConfig): void {
  if (!isExpired(visit, at, config)) return;
  const endedAt = visit.lastActivity + config.visitExpirationTime * 1000;
  if (visit.activeSessionId !== null) closeSession(state, visit, endedAt, 'expired');
  for (const pageId of visit.pageIds) {
    const page = state.pages[pageId];
    if (page.endDate === 0) page.endDate = endedAt;
  }
}

/** VisitStarted for a visit already created implicitly fills in what it knows. */
export function startVisit(visit: VisitRecord, ev: GtEvent, userAgent: string | null): void {
  if (visit.implicit) {
    visit.implicit = false;
    visit.globalVisitID = ev.globalVisitID;
  }
  visit.startDate = Math.min(visit.startDate, eventTime(ev));
  if (visit.userAgent === null) {
    const ua = (typeof ev.data?.userAgent === 'string' ? ev.data.userAgent : null) ?? userAgent;
    visit.userAgent = ua;
    visit.userAgentId = userAgentIdOf(ua);
  }
}

export function touchVisit(visit: VisitRecord, at: number): void {
  if (at > visit.lastActivity) visit.lastActivity = at;
  if (at < visit.startDate) visit.startDate = at;
}
