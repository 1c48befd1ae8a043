// Events applied in an order different from their browser timestamps (docs/identification.md:
// events can reach the companion late, queued in the extension while the companion was down):
// SignOut before its SignIn, UserInfo before VisitStarted. Pages: out-of-order-pages.test.ts.
// Each `apply` call is one arrival (one journal operation).
import { describe, expect, it } from 'vitest';
import { eventOf, emptyState, visitorStateOf } from '../../../companion/engine';
import { ev, signIn, signOut, userInfo, visitCtx, visitStarted } from '../../helpers/events';
import { apply, at, CFG, link, stateNow, T0 } from './apply-helpers';

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
