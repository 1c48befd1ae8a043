// The journal-level rules of applyOperation: duplicate eventIDs are skipped, state.seq follows
// the record, and reset empties the state.
import { beforeEach, describe, expect, it } from 'vitest';
import { eventOf, applyOperation, emptyState, type LabState } from '../../../companion/engine';
import { ev, signIn, signOut, stored, userInfo, visitCtx, visitStarted, type VisitCtx } from '../../helpers/events';
import { apply, CFG, seedContacts, T0, openVisit } from './apply-helpers';

let state: LabState;
let c: VisitCtx;
beforeEach(() => ({ state, c } = openVisit())); // v1 started at T0+1000, p1 entered at T0+2000

describe('applyOperation', () => {
  it('skips an event whose eventID is already stored (across operations and within one)', () => {
    const sign = signIn(c, { userId: 'ann' });
    apply(state, [sign]);
    const storedBefore = state.events[sign.eventID];
    const eventCount = state.visits['v1'].eventIds.length;
    apply(state, [sign]);
    apply(state, [sign, sign]);
    expect(state.visits['v1'].eventIds).toHaveLength(eventCount);
    expect(state.pages['v1:p1'].eventIds.filter((id) => id === sign.eventID)).toHaveLength(1);
    expect(eventOf(state, sign.eventID)).toBe(storedBefore);
    expect(Object.keys(state.sessions)).toEqual([`session-${sign.eventID}`]);

    const click = ev(c, 'Click', { pageID: 'p1' });
    apply(state, [click, { ...click, eventName: 'Other' }]);
    expect(state.visits['v1'].eventIds.filter((id) => id === click.eventID)).toHaveLength(1);
    expect(eventOf(state, click.eventID).eventName).toBe('Click');
  });

  it('a duplicate SignOut id does not close a newer session', () => {
    const sign1 = signIn(c, { userId: 'ann' });
    const out = signOut(c);
    const sign2 = signIn(c, { userId: 'ann' });
    apply(state, [sign1, out, sign2]);
    apply(state, [out]);
    expect(state.visits['v1'].activeSessionId).toBe(`session-${sign2.eventID}`);
    expect(state.sessions[`session-${sign2.eventID}`].endDate).toBe(0);
  });

  it('sets state.seq to the record seq for every kind of operation', () => {
    const s = emptyState();
    const e = visitStarted(visitCtx('v-seq', 'g', T0));
    applyOperation(s, { seq: 41, op: { kind: 'events', userAgent: null, events: [stored(e)] } }, CFG);
    expect(s.seq).toBe(41);
    applyOperation(s, { seq: 42, op: { kind: 'events', userAgent: null, events: [stored(e)] } }, CFG); // all duplicates
    expect(s.seq).toBe(42);
    applyOperation(s, { seq: 43, op: { kind: 'contacts', contacts: [{ contactId: 'c', origin: 'seed' }] } }, CFG);
    expect(s.seq).toBe(43);
    applyOperation(s, { seq: 44, op: { kind: 'visit', visit: { visitId: 'v-x', globalVisitID: 'g', startDate: T0, userAgent: null } } }, CFG);
    expect(s.seq).toBe(44);
    applyOperation(s, { seq: 45, op: { kind: 'reset' } }, CFG);
    expect(s.seq).toBe(45);
  });

  it('returns the state it was given', () => {
    const s = emptyState();
    expect(applyOperation(s, { seq: 1, op: { kind: 'reset' } }, CFG)).toBe(s);
  });

  it('reset empties the state', () => {
    seedContacts(state, [{ contactId: 'c1', origin: 'seed' }]);
    apply(state, [signIn(c, { userId: 'ann' }), userInfo(c, 'bob')]);
    expect(Object.keys(state.visits)).toHaveLength(1);
    const result = applyOperation(state, { seq: 99, op: { kind: 'reset' } }, CFG);
    expect(result).toBe(state);
    expect(state).toEqual({ ...emptyState(), seq: 99 });
    // Events applied after a reset start from scratch, even ones seen before it.
    const again = visitCtx('v1', 'g1', T0);
    const start = visitStarted(again);
    apply(state, [start]);
    expect(state.visitOrder).toEqual(['v1']);
    expect(state.visits['v1'].eventIds).toEqual([start.eventID]);
    expect(state.identities).toEqual({});
  });
});

describe('table counts', () => {
  it('follow what the engine adds, equal a fresh count, and start over after a reset', async () => {
    const { countsOf, emptyState, applyOperation, DEFAULT_ENGINE_CONFIG } = await import('../../../companion/engine');
    const { visitCtx, visitStarted, pageEntered, signIn, ev, stored } = await import('../../helpers/events');
    const state = emptyState();
    const fresh = () => ({
      pages: Object.keys(state.pages).length,
      events: Object.keys(state.events).length,
      sessions: Object.keys(state.sessions).length,
      contacts: Object.keys(state.contacts).length,
    });
    expect(countsOf(state)).toEqual(fresh()); // counted before anything, then kept
    const c = visitCtx();
    const events = [visitStarted(c), pageEntered(c, 'p1'), signIn(c, { email: 'a@shop.test' }), pageEntered(c, 'p2'), signIn(c, { email: 'b@shop.test' }), ev(c, 'X')].map((e) => stored(e));
    applyOperation(state, { seq: 1, op: { kind: 'events', userAgent: null, events } }, DEFAULT_ENGINE_CONFIG);
    applyOperation(state, { seq: 2, op: { kind: 'events', userAgent: null, events } }, DEFAULT_ENGINE_CONFIG); // all repeats
    applyOperation(state, { seq: 3, op: { kind: 'contacts', contacts: [{ contactId: 'contact-a@shop.test', firstName: 'A', origin: 'seed' }, { contactId: 'new', email: 'n@shop.test', origin: 'seed' }] } }, DEFAULT_ENGINE_CONFIG);
    expect(countsOf(state)).toEqual(fresh());
    expect(countsOf(state)).toEqual({ pages: 2, events: 6, sessions: 2, contacts: 3 });
    applyOperation(state, { seq: 4, op: { kind: 'reset' } }, DEFAULT_ENGINE_CONFIG);
    expect(countsOf(state)).toEqual({ pages: 0, events: 0, sessions: 0, contacts: 0 });
  });
});
