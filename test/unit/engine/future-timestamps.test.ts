// Browser clocks far ahead: the event keeps its timestamp as sent, but the engine reckons it at
// no later than serverTimestamp + MAX_CLOCK_LEAD_MS, so a timestamp of 1e15 (year 33658)
// cannot keep a visit active, and Authenticated, for ever.
import { describe, expect, it } from 'vitest';
import { applyOperation, emptyState, endDateOf, eventOf, eventTime, MAX_CLOCK_LEAD_MS, visitorStateOf, type LabState } from '../../../companion/engine';
import type { GtEvent, StoredEvent } from '../../../protocol';
import { ev, pageEntered, pageExited, signIn, signOut, stored, visitCtx, visitStarted } from '../../helpers/events';
import { CFG, T0 } from './apply-helpers';

const DAY = 86_400_000;
let seq = 0;

/** Applies the events as received at `received` (the companion's clock), one arrival. */
function receive(state: LabState, events: GtEvent[], received: number): LabState {
  const op = { kind: 'events' as const, userAgent: null, events: events.map((e) => stored(e, received)) };
  return applyOperation(state, { seq: ++seq, op }, CFG);
}

describe('eventTime', () => {
  const base = { eventType: 'BUSINESS', eventName: 'x', eventID: 'e', globalVisitID: 'g', visitID: 'v' } as const;
  it('is the browser timestamp, up to an hour ahead of the companion, and no later', () => {
    expect(MAX_CLOCK_LEAD_MS).toBe(3_600_000);
    expect(eventTime({ ...base, timestamp: T0 - DAY, serverTimestamp: T0 })).toBe(T0 - DAY); // late: as sent
    expect(eventTime({ ...base, timestamp: T0 + MAX_CLOCK_LEAD_MS, serverTimestamp: T0 })).toBe(T0 + MAX_CLOCK_LEAD_MS);
    expect(eventTime({ ...base, timestamp: T0 + MAX_CLOCK_LEAD_MS + 1, serverTimestamp: T0 })).toBe(T0 + MAX_CLOCK_LEAD_MS);
    expect(eventTime({ ...base, timestamp: 1e18, serverTimestamp: T0 })).toBe(T0 + MAX_CLOCK_LEAD_MS);
  });
});

describe('a timestamp far ahead of the companion', () => {
  it('is stored as sent, but does not pin the visit Authenticated', () => {
    const state = emptyState();
    const c = visitCtx('v-far', 'g', T0);
    receive(state, [visitStarted(c), pageEntered(c, 'p1'), signIn(c, { email: 'ann@shop.test' })], T0 + 3000);
    const far = ev(c, 'AddToCart', { pageID: 'p1', timestamp: 1e15 });
    receive(state, [far], T0 + 5000);
    expect(eventOf(state, far.eventID).timestamp).toBe(1e15);
    const visit = state.visits['v-far'];
    const counted = T0 + 5000 + MAX_CLOCK_LEAD_MS;
    expect(visit.lastActivity).toBe(counted);
    // Active for visitExpirationTime after the time it counts as, then over (before: never).
    expect(visitorStateOf(visit, counted + DAY, CFG)).toBe('Authenticated');
    expect(visitorStateOf(visit, counted + DAY + 1, CFG)).toBe('Anonymous');
    expect(endDateOf(visit, counted + DAY + 1, CFG)).toBe(counted + DAY);
  });

  it('dates a SignIn, its session, the identity and pages at the time it counts as', () => {
    const state = emptyState();
    const c = visitCtx('v-ahead', 'g', T0);
    const events = [visitStarted(c), pageEntered(c, 'p1'), signIn(c, { email: 'bo@shop.test' }), pageExited(c, 'p1')]
      .map((e, i) => ({ ...e, timestamp: 1e15 + i }));
    receive(state, events, T0);
    const at = T0 + MAX_CLOCK_LEAD_MS;
    const visit = state.visits['v-ahead'];
    expect(visit.startDate).toBe(at);
    const page = state.pages[visit.pageIds[0]];
    expect([page.startDate, page.endDate]).toEqual([at, at]);
    const session = state.sessions[visit.activeSessionId!];
    expect(session.startDate).toBe(at);
    expect(state.identities['bo@shop.test'].since).toBe(at);
    expect(visit.identities[0].since).toBe(at);
  });

  it('keeps order: a SignOut sent and received after its SignIn ends the session, both clocks ahead', () => {
    const state = emptyState();
    const c = visitCtx('v-order', 'g', T0);
    receive(state, [visitStarted(c), { ...signIn(c, { userId: 'cy' }), timestamp: 9e15 }], T0);
    const visit = state.visits['v-order'];
    expect(visitorStateOf(visit, T0, CFG)).toBe('Authenticated');
    // The SignOut's clock is just as far ahead; it reached the companion a minute later.
    receive(state, [{ ...signOut(c), timestamp: 9e15 + 60_000 }], T0 + 60_000);
    expect(visit.activeSessionId).toBeNull();
    expect(visitorStateOf(visit, T0 + 60_000, CFG)).toBe('Anonymous');
    expect(state.identities['cy'].visitScope).toBe('Recognized');
  });

  it('replays to the same state: the time it counts as comes from the stored event alone', () => {
    const c = visitCtx('v-replay', 'g', T0);
    const events: StoredEvent[] = [visitStarted(c), signIn(c, { userId: 'di' }), ev(c, 'Buy', { timestamp: 5e15 })].map((e) => stored(e, T0 + 10));
    const run = () => {
      const state = emptyState();
      applyOperation(state, { seq: 1, op: { kind: 'events', userAgent: null, events: structuredClone(events) } }, CFG);
      return state;
    };
    expect(run()).toEqual(run());
    expect(run().visits['v-replay'].lastActivity).toBe(T0 + 10 + MAX_CLOCK_LEAD_MS);
  });

  it('an event up to an hour ahead counts as sent', () => {
    const state = emptyState();
    const c = visitCtx('v-near', 'g', T0);
    receive(state, [visitStarted(c), { ...ev(c, 'Buy'), timestamp: T0 + 3_000_000 }], T0);
    expect(state.visits['v-near'].lastActivity).toBe(T0 + 3_000_000);
  });
});
