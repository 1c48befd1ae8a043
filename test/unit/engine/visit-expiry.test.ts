// Visits: expiry by inactivity (visitExpirationTime). An expired visit's session and open pages
// close at the expiry moment; expiry slides with each event.
import { describe, expect, it } from 'vitest';
import { eventOf, DEFAULT_ENGINE_CONFIG, emptyState, type EngineConfig } from '../../../companion/engine';
import { endDateOf, expiresAt, isExpired, visitorStateOf } from '../../../companion/engine/visitor-state';
import type { GtEvent } from '../../../protocol';
import { ev, pageEntered, pageExited, signIn, signOut, userInfo, visitCtx, visitStarted } from '../../helpers/events';
import { applierWith, T0 } from './apply-helpers';

const SIXTY: EngineConfig = { visitExpirationTime: 60 };
const apply = applierWith('UA-header/1.0');

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

describe('visitExpirationTime 0: visits never expire (as in GWE)', () => {
  const NEVER: EngineConfig = { visitExpirationTime: 0 };

  it('endDate stays 0 and the session stays open however long the visit is quiet', () => {
    const state = emptyState();
    const c = visitCtx('v-never', 'g', T0);
    apply(state, [visitStarted(c), pageEntered(c, 'p1'), signIn(c, { userId: 'ann' })], NEVER);
    const visit = state.visits['v-never'];
    const years = T0 + 10 * 365 * 86_400_000;
    expect(isExpired(visit, years, NEVER)).toBe(false);
    expect(endDateOf(visit, years, NEVER)).toBe(0);
    expect(visitorStateOf(visit, years, NEVER)).toBe('Authenticated');
    // An event years later carries the same visit on: its session and page were not closed.
    const late = { ...ev(c, 'AddToCart', { pageID: 'p1' }), timestamp: years };
    apply(state, [late], NEVER);
    expect(visit.activeSessionId).not.toBeNull();
    expect(state.pages['v-never:p1'].endDate).toBe(0);
    expect(eventOf(state, late.eventID).visitorState).toBe('Authenticated');
  });
});
