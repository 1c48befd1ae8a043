// Events applied in an order different from their browser timestamps (docs/identification.md:
// events can reach the companion late, queued in the extension while the companion was down).
// Each `apply` call is one arrival (one journal operation).
import { describe, expect, it } from 'vitest';
import {
  eventOf,
  applyOperation,
  DEFAULT_ENGINE_CONFIG,
  emptyState,
  pageIdOf,
  visitorStateOf,
  type LabState,
} from '../../../companion/engine';
import type { GtEvent } from '../../../protocol';
import { ev, pageEntered, pageExited, signIn, signOut, stored, userInfo, visitCtx, visitStarted } from '../../helpers/events';

const T0 = 1_700_000_000_000;
const CFG = DEFAULT_ENGINE_CONFIG;

let seq = 0;
function apply(state: LabState, events: GtEvent[]) {
  return applyOperation(state, { seq: ++seq, op: { kind: 'events', userAgent: 'UA/1', events: events.map((e) => stored(e)) } }, CFG);
}
/** The event with its browser time set to T0 + ms. */
function at<E extends GtEvent>(e: E, ms: number): E {
  return { ...e, timestamp: T0 + ms };
}
/** The visit's state right after its latest event. */
function stateNow(state: LabState, visitId: string) {
  const visit = state.visits[visitId];
  return visitorStateOf(visit, visit.lastActivity, CFG);
}
function link(state: LabState, visitId: string, identityId: string) {
  return state.visits[visitId].identities.find((l) => l.identityId === identityId);
}

describe('SignOut before its SignIn', () => {
  it('a SignOut (t=2000) applied before the SignIn (t=1000) closes that session at 2000', () => {
    const state = emptyState();
    const c = visitCtx('ooo-a', 'g-ooo-a', T0);
    apply(state, [at(visitStarted(c), 0)]);
    const out = at(signOut(c), 2000);
    const sign = at(signIn(c, { userId: 'ann' }), 1000);
    apply(state, [out]);
    // Nothing to close yet: the SignOut is stored and changes nothing visible.
    expect(state.sessions).toEqual({});
    expect(state.identities).toEqual({});
    expect(state.visits['ooo-a'].activeSessionId).toBeNull();
    expect(eventOf(state, out.eventID).visitorState).toBe('Anonymous');

    apply(state, [sign]);
    const sessionId = `session-${sign.eventID}`;
    expect(state.sessions).toEqual({
      [sessionId]: {
        sessionId,
        visitId: 'ooo-a',
        identityId: 'ann',
        startDate: T0 + 1000,
        endDate: T0 + 2000,
        endReason: 'SignOut',
      },
    });
    const visit = state.visits['ooo-a'];
    expect(visit.activeSessionId).toBeNull();
    expect(visit.lastActivity).toBe(T0 + 2000);
    expect(stateNow(state, 'ooo-a')).toBe('Anonymous');
    expect(visitorStateOf(visit, T0 + 2500, CFG)).toBe('Anonymous');
    expect(state.identities['ann'].visitScope).toBe('Recognized');
    expect(state.identities['ann'].since).toBe(T0 + 2000);
    expect(state.identities['ann'].visitIds).toEqual(['ooo-a']);
    expect(link(state, 'ooo-a', 'ann')).toEqual({ identityId: 'ann', scope: 'Recognized', since: T0 + 2000 });
    expect(visit.identities).toHaveLength(1);
    expect(visit.userInfoAt).toBeNull();
    // The visit's state right after the SignIn was applied: its session is already over.
    expect(eventOf(state, sign.eventID).visitorState).toBe('Anonymous');
    expect(visit.eventIds).toEqual([expect.any(String), out.eventID, sign.eventID]);
  });

  it('the same happens when both arrive in one request, SignOut first', () => {
    const state = emptyState();
    const c = visitCtx('ooo-a2', 'g', T0);
    const out = at(signOut(c), 2000);
    const sign = at(signIn(c, { email: 'bob@shop.test' }), 1000);
    apply(state, [out, sign]); // no VisitStarted at all: the SignOut made the visit
    const sessionId = `session-${sign.eventID}`;
    expect(state.sessions[sessionId]).toEqual({
      sessionId,
      visitId: 'ooo-a2',
      identityId: 'bob@shop.test',
      startDate: T0 + 1000,
      endDate: T0 + 2000,
      endReason: 'SignOut',
    });
    expect(state.visits['ooo-a2'].startDate).toBe(T0 + 1000);
    expect(state.visits['ooo-a2'].activeSessionId).toBeNull();
    expect(stateNow(state, 'ooo-a2')).toBe('Anonymous');
    expect(state.identities['bob@shop.test'].visitScope).toBe('Recognized');
    expect(link(state, 'ooo-a2', 'bob@shop.test')?.scope).toBe('Recognized');
  });

  it('the orphan SignOut is used once: a later SignIn (t=3000) opens a session that stays open', () => {
    const state = emptyState();
    const c = visitCtx('ooo-a3', 'g', T0);
    const out = at(signOut(c), 2000);
    const first = at(signIn(c, { userId: 'ann' }), 1000);
    const second = at(signIn(c, { userId: 'ann' }), 3000);
    apply(state, [out]);
    apply(state, [first]);
    apply(state, [second]);
    expect(state.sessions[`session-${first.eventID}`]).toMatchObject({ endDate: T0 + 2000, endReason: 'SignOut' });
    expect(state.sessions[`session-${second.eventID}`]).toMatchObject({ startDate: T0 + 3000, endDate: 0, endReason: null });
    expect(state.visits['ooo-a3'].activeSessionId).toBe(`session-${second.eventID}`);
    expect(stateNow(state, 'ooo-a3')).toBe('Authenticated');
    expect(state.identities['ann'].visitScope).toBe('Authenticated');
  });

  it('a SignOut with no session, then a SignIn with a LATER timestamp: a normal session that stays open', () => {
    const state = emptyState();
    const c = visitCtx('ooo-b', 'g-ooo-b', T0);
    apply(state, [at(visitStarted(c), 0)]);
    const out = at(signOut(c), 2000);
    const sign = at(signIn(c, { userId: 'ann' }), 3000);
    apply(state, [out]);
    apply(state, [sign]);
    const sessionId = `session-${sign.eventID}`;
    expect(state.sessions).toEqual({
      [sessionId]: { sessionId, visitId: 'ooo-b', identityId: 'ann', startDate: T0 + 3000, endDate: 0, endReason: null },
    });
    expect(state.visits['ooo-b'].activeSessionId).toBe(sessionId);
    expect(stateNow(state, 'ooo-b')).toBe('Authenticated');
    expect(eventOf(state, sign.eventID).visitorState).toBe('Authenticated');
    expect(state.identities['ann'].visitScope).toBe('Authenticated');
    expect(link(state, 'ooo-b', 'ann')).toEqual({ identityId: 'ann', scope: 'Authenticated', since: T0 + 3000 });

    // A business event later on does not bring the old SignOut back.
    const later = at(ev(c, 'AddToCart', { pageID: 'p1' }), 5000);
    apply(state, [later]);
    expect(state.sessions[sessionId].endDate).toBe(0);
    expect(eventOf(state, later.eventID).visitorState).toBe('Authenticated');

    // Its own SignOut, in order, closes it as usual.
    const realOut = at(signOut(c), 6000);
    apply(state, [realOut]);
    expect(state.sessions[sessionId]).toEqual({
      sessionId,
      visitId: 'ooo-b',
      identityId: 'ann',
      startDate: T0 + 3000,
      endDate: T0 + 6000,
      endReason: 'SignOut',
    });
    expect(stateNow(state, 'ooo-b')).toBe('Anonymous');
  });

  it('a late SignOut (t=2000) after SignIn#1 (t=1000) and SignIn#2 (t=3000) leaves session #2 open', () => {
    const state = emptyState();
    const c = visitCtx('ooo-c', 'g-ooo-c', T0);
    apply(state, [at(visitStarted(c), 0)]);
    const sign1 = at(signIn(c, { userId: 'ann' }), 1000);
    const sign2 = at(signIn(c, { userId: 'bob' }), 3000);
    const lateOut = at(signOut(c), 2000);
    apply(state, [sign1]);
    apply(state, [sign2]);
    apply(state, [lateOut]);
    const s1 = `session-${sign1.eventID}`;
    const s2 = `session-${sign2.eventID}`;
    expect(state.sessions).toEqual({
      [s1]: { sessionId: s1, visitId: 'ooo-c', identityId: 'ann', startDate: T0 + 1000, endDate: T0 + 3000, endReason: 'SignIn' },
      [s2]: { sessionId: s2, visitId: 'ooo-c', identityId: 'bob', startDate: T0 + 3000, endDate: 0, endReason: null },
    });
    expect(state.visits['ooo-c'].activeSessionId).toBe(s2);
    expect(stateNow(state, 'ooo-c')).toBe('Authenticated');
    expect(eventOf(state, lateOut.eventID).visitorState).toBe('Authenticated');
    expect(state.visits['ooo-c'].identities).toEqual([
      { identityId: 'ann', scope: 'Recognized', since: T0 + 3000 },
      { identityId: 'bob', scope: 'Authenticated', since: T0 + 3000 },
    ]);
    expect(state.identities['bob'].visitScope).toBe('Authenticated');
    expect(state.identities['ann'].visitScope).toBe('Recognized');

    // The late SignOut was not kept for later either: bob's own SignOut closes #2, and a
    // SignIn after that opens a session that stays open.
    apply(state, [at(signOut(c), 4000)]);
    expect(state.sessions[s2]).toMatchObject({ endDate: T0 + 4000, endReason: 'SignOut' });
    const sign3 = at(signIn(c, { userId: 'ann' }), 5000);
    apply(state, [sign3]);
    expect(state.sessions[`session-${sign3.eventID}`]).toMatchObject({ startDate: T0 + 5000, endDate: 0, endReason: null });
    expect(stateNow(state, 'ooo-c')).toBe('Authenticated');
  });
});

describe('UserInfo before VisitStarted', () => {
  it('the UserInfo creates the visit, the VisitStarted then fills it in; the visit stays Recognized', () => {
    const state = emptyState();
    const c = visitCtx('ooo-d', 'g-ooo-d', T0);
    const start = at(visitStarted(c), 1000);
    const info = at(userInfo(c, 'ann'), 2000);
    apply(state, [info]);
    expect(state.visits['ooo-d'].implicit).toBe(true);
    expect(state.visits['ooo-d'].startDate).toBe(T0 + 2000);
    expect(stateNow(state, 'ooo-d')).toBe('Recognized');

    apply(state, [start]);
    expect(state.visitOrder).toEqual(['ooo-d']);
    const visit = state.visits['ooo-d'];
    expect(visit).toMatchObject({
      visitId: 'ooo-d',
      globalVisitID: 'g-ooo-d',
      implicit: false,
      startDate: T0 + 1000,
      lastActivity: T0 + 2000,
      activeSessionId: null,
      userInfoAt: T0 + 2000,
      eventIds: [info.eventID, start.eventID],
      identities: [{ identityId: 'ann', scope: 'Recognized', since: T0 + 2000 }],
    });
    expect(stateNow(state, 'ooo-d')).toBe('Recognized');
    expect(eventOf(state, info.eventID).visitorState).toBe('Recognized');
    expect(eventOf(state, start.eventID).visitorState).toBe('Recognized');
    expect(state.identities['ann']).toMatchObject({ identityId: 'ann', visitScope: 'Recognized', since: T0 + 2000, visitIds: ['ooo-d'] });
    expect(state.identities['ann'].entityInCS).toBe('contact-ann');
    expect(state.contacts['contact-ann']).toEqual({ contactId: 'contact-ann', userId: 'ann', origin: 'UserInfo' });
    expect(state.sessions).toEqual({});
  });
});

describe('events that name a page before its PageEntered', () => {
  it('are listed first in the page eventIds, in arrival order, once PageEntered makes the page', () => {
    const state = emptyState();
    const c = visitCtx('ooo-e', 'g-ooo-e', T0);
    const other = visitCtx('ooo-e-other', 'g', T0);
    const cart = at(ev(c, 'AddToCart', { pageID: 'p1' }), 3000); // arrives first, latest time
    const start = at(visitStarted(c, { pageID: 'p1' }), 1000);
    const elsewhere = at(ev(c, 'Click', { pageID: 'p2' }), 3500);
    const noPage = at(ev(c, 'Heartbeat'), 3600);
    const otherVisit = at(ev(other, 'Click', { pageID: 'p1' }), 3700); // same pageID, other visit
    const entered = at(pageEntered(c, 'p1', 'http://shop.test/p1', 'Home'), 2000);
    const after = at(ev(c, 'Scroll', { pageID: 'p1' }), 4000);
    for (const e of [cart, start, elsewhere, noPage, otherVisit]) apply(state, [e]);
    // No page yet: events naming a page do not make one.
    expect(state.pages).toEqual({});
    expect(state.visits['ooo-e'].pageIds).toEqual([]);

    apply(state, [entered]);
    const pageId = pageIdOf('ooo-e', 'p1');
    expect(state.visits['ooo-e'].pageIds).toEqual([pageId]);
    expect(state.pages[pageId]).toEqual({
      pageId,
      browserPageID: 'p1',
      visitId: 'ooo-e',
      url: 'http://shop.test/p1',
      title: 'Home',
      referrer: '',
      category: null,
      startDate: T0 + 2000,
      endDate: 0,
      entered: true,
      eventIds: [cart.eventID, start.eventID, entered.eventID],
    });
    apply(state, [after]);
    expect(state.pages[pageId].eventIds).toEqual([cart.eventID, start.eventID, entered.eventID, after.eventID]);
    expect(Object.keys(state.pages)).toEqual([pageId]);
    expect(state.visits['ooo-e'].eventIds).toEqual([cart, start, elsewhere, noPage, entered, after].map((e) => e.eventID));
    expect(state.visits['ooo-e-other'].eventIds).toEqual([otherVisit.eventID]);
  });

  it('the same holds when a PageExited makes the page first and its PageEntered comes last', () => {
    const state = emptyState();
    const c = visitCtx('ooo-e2', 'g', T0);
    const click = at(ev(c, 'Click', { pageID: 'p3' }), 2500);
    const exit = at(pageExited(c, 'p3'), 3000);
    const entered = at(pageEntered(c, 'p3', 'http://shop.test/p3', 'Three'), 2000);
    apply(state, [click]);
    apply(state, [exit]);
    const pageId = pageIdOf('ooo-e2', 'p3');
    expect(state.pages[pageId].eventIds).toEqual([click.eventID, exit.eventID]);
    expect(state.pages[pageId].entered).toBe(false);
    apply(state, [entered]);
    expect(state.pages[pageId]).toMatchObject({
      title: 'Three',
      url: 'http://shop.test/p3',
      startDate: T0 + 2000,
      endDate: T0 + 3000,
      entered: true,
      eventIds: [click.eventID, exit.eventID, entered.eventID],
    });
  });
});

describe('pageIdOf with ids holding ".", ":" or "%"', () => {
  const pairs: [string, string, string, string][] = [
    ['a', 'b.c', 'a.b', 'c'],
    ['a', 'b:c', 'a:b', 'c'],
    ['a', '%3Ab', 'a%3A', 'b'],
    ['a:', 'b', 'a%3A', 'b'],
    ['a', 'b%c', 'a%b', 'c'],
  ];

  it('never gives two (visit, page) pairs the same id', () => {
    expect(pageIdOf('a', 'b.c')).toBe('a:b.c');
    expect(pageIdOf('a.b', 'c')).toBe('a.b:c');
    expect(pageIdOf('a', 'b:c')).toBe('a:b%3Ac');
    expect(pageIdOf('a:b', 'c')).toBe('a%3Ab:c');
    expect(pageIdOf('a:', 'b')).toBe('a%3A:b');
    expect(pageIdOf('a%3A', 'b')).toBe('a%253A:b');
    for (const [v1, p1, v2, p2] of pairs) expect(pageIdOf(v1, p1), `${v1}|${p1} vs ${v2}|${p2}`).not.toBe(pageIdOf(v2, p2));
    // Every pair from a set of awkward ids gets its own id.
    const ids = ['a', 'b', 'c', 'a.b', 'b.c', 'a:b', 'b:c', 'a:', ':b', ':', '.', '%', 'a%', '%3A', 'a%3A', '%3Ab', 'a%3Ab', '%25'];
    const all = new Set<string>();
    for (const v of ids) for (const p of ids) all.add(pageIdOf(v, p));
    expect(all.size).toBe(ids.length * ids.length);
  });

  it.each(pairs)('visits %j/%j and %j/%j keep separate pages with their own titles', (v1, p1, v2, p2) => {
    const state = emptyState();
    const c1 = visitCtx(v1, `g-${v1}`, T0);
    const c2 = visitCtx(v2, `g-${v2}`, T0);
    const start1 = visitStarted(c1, { pageID: p1 });
    const start2 = visitStarted(c2, { pageID: p2 });
    const enter1 = pageEntered(c1, p1, 'http://shop.test/one', 'First');
    const enter2 = pageEntered(c2, p2, 'http://shop.test/two', 'Second');
    apply(state, [start1, start2, enter1, enter2]);
    const id1 = pageIdOf(v1, p1);
    const id2 = pageIdOf(v2, p2);
    expect(Object.keys(state.pages).sort()).toEqual([id1, id2].sort());
    expect(state.pages[id1]).toMatchObject({
      pageId: id1,
      visitId: v1,
      browserPageID: p1,
      title: 'First',
      url: 'http://shop.test/one',
      eventIds: [start1.eventID, enter1.eventID],
    });
    expect(state.pages[id2]).toMatchObject({
      pageId: id2,
      visitId: v2,
      browserPageID: p2,
      title: 'Second',
      url: 'http://shop.test/two',
      eventIds: [start2.eventID, enter2.eventID],
    });
    expect(state.visits[v1].pageIds).toEqual([id1]);
    expect(state.visits[v2].pageIds).toEqual([id2]);
  });
});
