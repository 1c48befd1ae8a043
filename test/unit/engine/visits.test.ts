// Visits: created by VisitStarted or implicitly by an event for an unknown visitID; expiry by
// inactivity (visitExpirationTime); the visit's user agent and its userAgentId.
import { describe, expect, it } from 'vitest';
import {
  eventOf,
  applyOperation,
  DEFAULT_ENGINE_CONFIG,
  emptyState,
  userAgentIdOf,
  type EngineConfig,
  type LabState,
} from '../../../companion/engine';
import { endDateOf, expiresAt, isExpired, visitorStateOf } from '../../../companion/engine/visitor-state';
import type { GtEvent } from '../../../protocol';
import { ev, pageEntered, pageExited, signIn, signOut, stored, userInfo, visitCtx, visitStarted } from '../../helpers/events';

const T0 = 1_700_000_000_000;
const SIXTY: EngineConfig = { visitExpirationTime: 60 };

let seq = 0;
function apply(state: LabState, events: GtEvent[], config: EngineConfig = DEFAULT_ENGINE_CONFIG, userAgent: string | null = 'UA-header/1.0') {
  return applyOperation(state, { seq: ++seq, op: { kind: 'events', userAgent, events: events.map((e) => stored(e)) } }, config);
}

describe('VisitStarted', () => {
  it('creates the visit from the event', () => {
    const state = emptyState();
    const c = visitCtx('v-start', 'g-start', T0);
    const start = visitStarted(c);
    apply(state, [start]);
    const visit = state.visits['v-start'];
    expect(visit).toEqual({
      visitId: 'v-start',
      globalVisitID: 'g-start',
      startDate: T0 + 1000,
      lastActivity: T0 + 1000,
      userAgent: 'UA-header/1.0',
      userAgentId: userAgentIdOf('UA-header/1.0'),
      implicit: false,
      pageIds: [],
      eventIds: [start.eventID],
      identities: [],
      activeSessionId: null,
      userInfoAt: null,
      orphanSignOutAt: null,
    });
    expect(state.visitOrder).toEqual(['v-start']);
    expect(eventOf(state, start.eventID).visitorState).toBe('Anonymous');
    expect(endDateOf(visit, T0 + 1000, DEFAULT_ENGINE_CONFIG)).toBe(0);
    expect(visitorStateOf(visit, T0 + 1000, DEFAULT_ENGINE_CONFIG)).toBe('Anonymous');
  });

  it('keeps one visit per visitID and adds later events to it', () => {
    const state = emptyState();
    const c = visitCtx('v-one', 'g-one', T0);
    const events = [visitStarted(c), pageEntered(c, 'p1'), ev(c, 'AddToCart')];
    apply(state, events);
    expect(Object.keys(state.visits)).toEqual(['v-one']);
    expect(state.visitOrder).toEqual(['v-one']);
    expect(state.visits['v-one'].eventIds).toEqual(events.map((e) => e.eventID));
    expect(state.visits['v-one'].lastActivity).toBe(T0 + 3000);
    expect(state.visits['v-one'].startDate).toBe(T0 + 1000);
  });

  it('lists visits in the order they were created', () => {
    const state = emptyState();
    const a = visitCtx('v-b', 'g', T0);
    const b = visitCtx('v-a', 'g', T0);
    apply(state, [visitStarted(a), visitStarted(b)]);
    expect(state.visitOrder).toEqual(['v-b', 'v-a']);
  });

  it('a second VisitStarted for a started visit changes neither its globalVisitID nor its start', () => {
    const state = emptyState();
    const c = visitCtx('v-twice', 'g-first', T0);
    apply(state, [visitStarted(c)]);
    apply(state, [visitStarted(c, { globalVisitID: 'g-second' })]);
    const visit = state.visits['v-twice'];
    expect(visit.globalVisitID).toBe('g-first');
    expect(visit.startDate).toBe(T0 + 1000);
    expect(visit.lastActivity).toBe(T0 + 2000);
    expect(visit.eventIds).toHaveLength(2);
    expect(state.visitOrder).toEqual(['v-twice']);
  });
});

describe('implicit visit (event for an unknown visitID)', () => {
  it('is created from the first event it hears of, then VisitStarted fills it in', () => {
    const state = emptyState();
    const c = visitCtx('v-impl', 'g-real', T0);
    const start = visitStarted(c); // T0+1000, reaches the companion late
    const page = pageEntered(c, 'p1'); // T0+2000
    page.globalVisitID = 'g-from-page';
    apply(state, [page]);
    let visit = state.visits['v-impl'];
    expect(visit.implicit).toBe(true);
    expect(visit.startDate).toBe(T0 + 2000);
    expect(visit.lastActivity).toBe(T0 + 2000);
    expect(visit.globalVisitID).toBe('g-from-page');
    expect(visit.pageIds).toEqual(['v-impl:p1']);

    apply(state, [start]);
    visit = state.visits['v-impl'];
    expect(visit.implicit).toBe(false);
    expect(visit.startDate).toBe(T0 + 1000); // the earliest start wins
    expect(visit.lastActivity).toBe(T0 + 2000); // the late VisitStarted does not move activity back
    expect(visit.globalVisitID).toBe('g-real');
    expect(visit.eventIds).toEqual([page.eventID, start.eventID]);
    expect(state.visitOrder).toEqual(['v-impl']);
  });

  it('keeps the earlier start when VisitStarted is later than the first event', () => {
    const state = emptyState();
    const c = visitCtx('v-min', 'g', T0);
    const early = ev(c, 'AddToCart'); // T0+1000
    const start = visitStarted(c); // T0+2000
    apply(state, [early, start]);
    expect(state.visits['v-min'].startDate).toBe(T0 + 1000);
    expect(state.visits['v-min'].implicit).toBe(false);
  });

  it('moves startDate back when an older event arrives after the start', () => {
    const state = emptyState();
    const c = visitCtx('v-older', 'g', T0);
    const older = ev(c, 'AddToCart'); // T0+1000
    const start = visitStarted(c); // T0+2000
    apply(state, [start]);
    apply(state, [older]);
    expect(state.visits['v-older'].startDate).toBe(T0 + 1000);
    expect(state.visits['v-older'].lastActivity).toBe(T0 + 2000);
  });

  it('a visit created by the History API ("visit" operation) is not implicit and is not duplicated', () => {
    const state = emptyState();
    applyOperation(
      state,
      { seq: 1, op: { kind: 'visit', visit: { visitId: 'v-api', globalVisitID: 'g-api', startDate: T0, userAgent: null } } },
      DEFAULT_ENGINE_CONFIG,
    );
    applyOperation(
      state,
      { seq: 2, op: { kind: 'visit', visit: { visitId: 'v-api', globalVisitID: 'g-other', startDate: T0 + 5, userAgent: 'X' } } },
      DEFAULT_ENGINE_CONFIG,
    );
    expect(state.visits['v-api']).toMatchObject({ implicit: false, globalVisitID: 'g-api', startDate: T0, userAgent: null, userAgentId: null });
    expect(state.visitOrder).toEqual(['v-api']);
    expect(state.seq).toBe(2);
  });
});

describe('expiry by inactivity', () => {
  it('endDate is 0 until visitExpirationTime after the latest event, then that moment', () => {
    const state = emptyState();
    const c = visitCtx('v-exp', 'g', T0);
    apply(state, [visitStarted(c), pageEntered(c, 'p1')], SIXTY); // latest at T0+2000
    const visit = state.visits['v-exp'];
    const last = T0 + 2000;
    expect(expiresAt(visit, SIXTY)).toBe(last + 60_000);
    expect(endDateOf(visit, last, SIXTY)).toBe(0);
    expect(endDateOf(visit, last + 59_999, SIXTY)).toBe(0);
    expect(endDateOf(visit, last + 60_000, SIXTY)).toBe(0);
    expect(isExpired(visit, last + 60_000, SIXTY)).toBe(false);
    expect(isExpired(visit, last + 60_001, SIXTY)).toBe(true);
    expect(endDateOf(visit, last + 60_001, SIXTY)).toBe(last + 60_000);
    expect(endDateOf(visit, last + 10 * 3_600_000, SIXTY)).toBe(last + 60_000);
  });

  it('uses GWE default of 86400 s', () => {
    expect(DEFAULT_ENGINE_CONFIG.visitExpirationTime).toBe(86400);
    const state = emptyState();
    const c = visitCtx('v-day', 'g', T0);
    apply(state, [visitStarted(c)]);
    const visit = state.visits['v-day'];
    expect(endDateOf(visit, T0 + 1000 + 3_600_000, DEFAULT_ENGINE_CONFIG)).toBe(0);
    expect(endDateOf(visit, T0 + 1000 + 86_400_000, DEFAULT_ENGINE_CONFIG)).toBe(0);
    expect(endDateOf(visit, T0 + 1000 + 86_400_001, DEFAULT_ENGINE_CONFIG)).toBe(T0 + 1000 + 86_400_000);
  });

  it('the visitor is no longer Authenticated once the visit has expired (read at a later now)', () => {
    const state = emptyState();
    const c = visitCtx('v-exp-auth', 'g', T0);
    apply(state, [visitStarted(c), signIn(c, { userId: 'ann' })], SIXTY);
    const visit = state.visits['v-exp-auth'];
    const last = T0 + 2000;
    expect(visitorStateOf(visit, last + 60_000, SIXTY)).toBe('Authenticated');
    expect(visitorStateOf(visit, last + 60_001, SIXTY)).toBe('Anonymous');
    // With the default expiry the same visit is still signed in an hour later.
    expect(visitorStateOf(visit, last + 3_600_000, DEFAULT_ENGINE_CONFIG)).toBe('Authenticated');
  });

  it('an expired visit that had a UserInfo stays Recognized', () => {
    const state = emptyState();
    const c = visitCtx('v-exp-rec', 'g', T0);
    apply(state, [visitStarted(c), userInfo(c, 'bob'), signIn(c, { userId: 'bob' })], SIXTY);
    const visit = state.visits['v-exp-rec'];
    expect(visitorStateOf(visit, T0 + 3000, SIXTY)).toBe('Authenticated');
    expect(visitorStateOf(visit, T0 + 3000 + 60_001, SIXTY)).toBe('Recognized');
  });

  it('an event after expiry closes the session and the open pages at the expiry moment, and the visit runs on', () => {
    const state = emptyState();
    const c = visitCtx('v-late', 'g', T0);
    const head = [visitStarted(c), pageEntered(c, 'p1'), pageEntered(c, 'p2'), pageExited(c, 'p2'), signIn(c, { userId: 'ann' }, 'p1')];
    apply(state, head, SIXTY);
    const sessionId = state.visits['v-late'].activeSessionId!;
    expect(sessionId).toBe(`session-${head[4].eventID}`);
    const last = T0 + 5000;
    expect(state.visits['v-late'].lastActivity).toBe(last);

    c.t += 120_000; // two minutes of silence
    const after = ev(c, 'AddToCart', { pageID: 'p1' });
    apply(state, [after], SIXTY);

    const visit = state.visits['v-late'];
    expect(state.sessions[sessionId]).toEqual({
      sessionId,
      visitId: 'v-late',
      identityId: 'ann',
      startDate: T0 + 5000,
      endDate: last + 60_000,
      endReason: 'expired',
    });
    expect(visit.activeSessionId).toBeNull();
    expect(state.pages['v-late:p1'].endDate).toBe(last + 60_000); // was open
    expect(state.pages['v-late:p2'].endDate).toBe(T0 + 4000); // had been exited: unchanged
    expect(eventOf(state, after.eventID).visitorState).toBe('Anonymous');
    // Same visit, running on from the new event.
    expect(state.visitOrder).toEqual(['v-late']);
    expect(visit.startDate).toBe(T0 + 1000);
    expect(visit.lastActivity).toBe(after.timestamp);
    expect(visit.eventIds.at(-1)).toBe(after.eventID);
    expect(endDateOf(visit, after.timestamp, SIXTY)).toBe(0);
    expect(endDateOf(visit, after.timestamp + 60_001, SIXTY)).toBe(after.timestamp + 60_000);
    expect(visitorStateOf(visit, after.timestamp, SIXTY)).toBe('Anonymous');
  });

  it('the expired session stays closed: a later SignOut changes nothing, a later SignIn opens a new session', () => {
    const state = emptyState();
    const c = visitCtx('v-late2', 'g', T0);
    const first = signIn(c, { userId: 'ann' });
    apply(state, [visitStarted(c), first], SIXTY);
    const expiredId = `session-${first.eventID}`;
    c.t += 90_000;
    const out = signOut(c);
    apply(state, [out], SIXTY);
    expect(state.sessions[expiredId].endReason).toBe('expired');
    expect(state.sessions[expiredId].endDate).toBe(T0 + 2000 + 60_000);
    expect(eventOf(state, out.eventID).visitorState).toBe('Anonymous');
    const again = signIn(c, { userId: 'ann' });
    apply(state, [again], SIXTY);
    expect(state.visits['v-late2'].activeSessionId).toBe(`session-${again.eventID}`);
    expect(state.sessions[expiredId].endReason).toBe('expired');
    expect(Object.keys(state.sessions)).toHaveLength(2);
    expect(eventOf(state, again.eventID).visitorState).toBe('Authenticated');
  });

  it('expiry slides: events closer together than visitExpirationTime keep the visit and its session open', () => {
    const state = emptyState();
    const c = visitCtx('v-slide', 'g', T0);
    const head = [visitStarted(c), pageEntered(c, 'p1'), signIn(c, { userId: 'ann' })];
    const sign = head[2];
    apply(state, head, SIXTY);
    const events: GtEvent[] = [];
    for (let i = 0; i < 10; i++) {
      c.t += 49_000; // +1000 by the builder: 50 s apart, 500 s in all
      events.push(ev(c, 'Scroll', { pageID: 'p1' }));
    }
    for (const e of events) apply(state, [e], SIXTY);
    const visit = state.visits['v-slide'];
    expect(visit.activeSessionId).toBe(`session-${sign.eventID}`);
    expect(state.sessions[visit.activeSessionId!].endDate).toBe(0);
    expect(state.pages['v-slide:p1'].endDate).toBe(0);
    expect(events.map((e) => eventOf(state, e.eventID).visitorState)).toEqual(Array(10).fill('Authenticated'));
    const last = events[9].timestamp;
    expect(last - sign.timestamp).toBe(500_000);
    expect(endDateOf(visit, last + 60_000, SIXTY)).toBe(0);
    expect(visitorStateOf(visit, last + 60_000, SIXTY)).toBe('Authenticated');
    expect(visitorStateOf(visit, last + 60_001, SIXTY)).toBe('Anonymous');
  });

  it('a late event with an older timestamp does not expire the visit', () => {
    const state = emptyState();
    const c = visitCtx('v-old', 'g', T0);
    const older = ev(c, 'AddToCart'); // T0+1000
    c.t += 30_000;
    const sign = signIn(c, { userId: 'ann' }); // T0+32000
    apply(state, [visitStarted({ ...c, t: T0 - 1000 }), sign], SIXTY);
    apply(state, [older], SIXTY);
    expect(state.visits['v-old'].activeSessionId).toBe(`session-${sign.eventID}`);
    expect(eventOf(state, older.eventID).visitorState).toBe('Authenticated');
  });
});

describe('user agent', () => {
  it("prefers data.userAgent of the visit's first event over the request's User-Agent", () => {
    const state = emptyState();
    const c = visitCtx('v-ua-data', 'g', T0);
    apply(state, [visitStarted(c, { data: { userAgent: 'Mozilla/5.0 (Data)' } })], DEFAULT_ENGINE_CONFIG, 'Header/1');
    expect(state.visits['v-ua-data'].userAgent).toBe('Mozilla/5.0 (Data)');
    expect(state.visits['v-ua-data'].userAgentId).toBe(userAgentIdOf('Mozilla/5.0 (Data)'));
  });

  it("falls back to the request's User-Agent, and is null when there is neither", () => {
    const state = emptyState();
    const a = visitCtx('v-ua-header', 'g', T0);
    const b = visitCtx('v-ua-none', 'g', T0);
    apply(state, [visitStarted(a)], DEFAULT_ENGINE_CONFIG, 'Header/1');
    apply(state, [visitStarted(b)], DEFAULT_ENGINE_CONFIG, null);
    expect(state.visits['v-ua-header'].userAgent).toBe('Header/1');
    expect(state.visits['v-ua-header'].userAgentId).toBe(userAgentIdOf('Header/1'));
    expect(state.visits['v-ua-none'].userAgent).toBeNull();
    expect(state.visits['v-ua-none'].userAgentId).toBeNull();
  });

  it('an implicit visit that has no user agent takes the one of the VisitStarted that follows', () => {
    const state = emptyState();
    const c = visitCtx('v-ua-impl', 'g', T0);
    const start = visitStarted(c, { data: { userAgent: 'Late/2' } });
    apply(state, [pageEntered(c, 'p1')], DEFAULT_ENGINE_CONFIG, null);
    expect(state.visits['v-ua-impl'].userAgent).toBeNull();
    apply(state, [start], DEFAULT_ENGINE_CONFIG, null);
    expect(state.visits['v-ua-impl'].userAgent).toBe('Late/2');
    expect(state.visits['v-ua-impl'].userAgentId).toBe(userAgentIdOf('Late/2'));
  });

  it('is not replaced by later events or requests', () => {
    const state = emptyState();
    const c = visitCtx('v-ua-keep', 'g', T0);
    apply(state, [visitStarted(c, { data: { userAgent: 'First/1' } })], DEFAULT_ENGINE_CONFIG, 'Header/1');
    apply(state, [ev(c, 'AddToCart', { data: { userAgent: 'Other/9' } }), visitStarted(c, { data: { userAgent: 'Other/9' } })], DEFAULT_ENGINE_CONFIG, 'Header/2');
    expect(state.visits['v-ua-keep'].userAgent).toBe('First/1');
    expect(state.visits['v-ua-keep'].userAgentId).toBe(userAgentIdOf('First/1'));
  });

  it('ignores a data.userAgent that is not a string', () => {
    const state = emptyState();
    const c = visitCtx('v-ua-num', 'g', T0);
    apply(state, [visitStarted(c, { data: { userAgent: 42 } })], DEFAULT_ENGINE_CONFIG, 'Header/3');
    expect(state.visits['v-ua-num'].userAgent).toBe('Header/3');
  });

  it('userAgentId is a short stable hash: same agent, same id; different agent, different id', () => {
    const ua = 'Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0';
    const id = userAgentIdOf(ua);
    expect(id).toMatch(/^ua-[0-9a-f]{12}$/);
    expect(userAgentIdOf(ua)).toBe(id);
    expect(userAgentIdOf(ua + ' ')).not.toBe(id);
    expect(userAgentIdOf(null)).toBeNull();
    expect(userAgentIdOf('')).toBeNull();

    // Two visits (in two separately built states) from the same browser share the id.
    const s1 = emptyState();
    const s2 = emptyState();
    apply(s1, [visitStarted(visitCtx('v-ua-1', 'g', T0))], DEFAULT_ENGINE_CONFIG, ua);
    apply(s1, [visitStarted(visitCtx('v-ua-2', 'g', T0))], DEFAULT_ENGINE_CONFIG, ua);
    apply(s2, [visitStarted(visitCtx('v-ua-3', 'g', T0))], DEFAULT_ENGINE_CONFIG, ua);
    apply(s1, [visitStarted(visitCtx('v-ua-4', 'g', T0))], DEFAULT_ENGINE_CONFIG, 'Other/1');
    expect(s1.visits['v-ua-1'].userAgentId).toBe(id);
    expect(s1.visits['v-ua-2'].userAgentId).toBe(id);
    expect(s2.visits['v-ua-3'].userAgentId).toBe(id);
    expect(s1.visits['v-ua-4'].userAgentId).not.toBe(id);
  });
});
