// Identification (contract section 3 and docs/identification.md), identities: UserInfo makes an
// identity Recognized; several SignIns and identities in one visit, each with its own scope.
import { beforeEach, describe, expect, it } from 'vitest';
import { eventOf, type LabState } from '../../../companion/engine';
import { PROFILE_LIMITS } from '../../../companion/engine/profile';
import { ev, signIn, signOut, userInfo, visitCtx, visitStarted, type VisitCtx } from '../../helpers/events';
import { apply, link, stateNow, T0, openVisit } from './apply-helpers';

let state: LabState;
let c: VisitCtx;
beforeEach(() => ({ state, c } = openVisit())); // v1 started at T0+1000, p1 entered at T0+2000

describe('UserInfo: Recognized', () => {
  it('finds or creates the identity, Recognized in the visit and overall; the visit is Recognized', () => {
    const info = userInfo(c, 'dan'); // T0+3000
    apply(state, [info]);
    expect(state.identities['dan']).toMatchObject({ identityId: 'dan', visitScope: 'Recognized', since: T0 + 3000, visitIds: ['v1'], name: 'dan' });
    expect(state.visits['v1'].identities).toEqual([{ identityId: 'dan', scope: 'Recognized', since: T0 + 3000 }]);
    expect(state.visits['v1'].userInfoAt).toBe(T0 + 3000);
    expect(state.visits['v1'].activeSessionId).toBeNull();
    expect(state.sessions).toEqual({});
    expect(eventOf(state, info.eventID).visitorState).toBe('Recognized');
    expect(stateNow(state, 'v1')).toBe('Recognized');
  });

  it('userInfoAt keeps the first UserInfo of the visit', () => {
    const first = userInfo(c, 'dan');
    const second = userInfo(c, 'dan');
    apply(state, [first, second]);
    expect(state.visits['v1'].userInfoAt).toBe(first.timestamp);
    expect(state.visits['v1'].identities).toHaveLength(1);
    expect(state.visits['v1'].identities[0].since).toBe(second.timestamp);
  });

  it('Recognized -> SignIn -> Authenticated', () => {
    const info = userInfo(c, 'dan');
    const sign = signIn(c, { userId: 'dan' });
    apply(state, [info, sign]);
    expect(link(state, 'v1', 'dan')?.scope).toBe('Authenticated');
    expect(state.identities['dan'].visitScope).toBe('Authenticated');
    expect(eventOf(state, sign.eventID).visitorState).toBe('Authenticated');
    expect(state.visits['v1'].identities).toHaveLength(1);
  });

  it('a UserInfo while signed in makes the identity Recognized; the open session keeps the visit Authenticated', () => {
    const sign = signIn(c, { userId: 'ann' });
    const info = userInfo(c, 'ann');
    apply(state, [sign, info]);
    expect(link(state, 'v1', 'ann')?.scope).toBe('Recognized');
    expect(state.identities['ann'].visitScope).toBe('Recognized');
    expect(state.visits['v1'].activeSessionId).toBe(`session-${sign.eventID}`);
    expect(state.sessions[`session-${sign.eventID}`].endDate).toBe(0);
    expect(eventOf(state, info.eventID).visitorState).toBe('Authenticated');
    // After SignOut the UserInfo makes the visit Recognized.
    const out = signOut(c);
    apply(state, [out]);
    expect(eventOf(state, out.eventID).visitorState).toBe('Recognized');
  });
});

describe('several SignIns and identities in one visit', () => {
  it('SignIn twice by the same person: two sessions with different ids, the first closed by the second', () => {
    const first = signIn(c, { userId: 'ann' }); // T0+3000
    const second = signIn(c, { userId: 'ann' }); // T0+4000
    apply(state, [first, second]);
    const s1 = `session-${first.eventID}`;
    const s2 = `session-${second.eventID}`;
    expect(s1).not.toBe(s2);
    expect(state.sessions[s1]).toMatchObject({ endDate: T0 + 4000, endReason: 'SignIn', identityId: 'ann' });
    expect(state.sessions[s2]).toMatchObject({ startDate: T0 + 4000, endDate: 0, endReason: null, identityId: 'ann' });
    expect(state.visits['v1'].activeSessionId).toBe(s2);
    expect(state.visits['v1'].identities).toEqual([{ identityId: 'ann', scope: 'Authenticated', since: T0 + 4000 }]);
    expect(state.identities['ann'].visitIds).toEqual(['v1']);
    expect(state.identities['ann'].visitScope).toBe('Authenticated');
    expect(eventOf(state, second.eventID).visitorState).toBe('Authenticated');
  });

  it('a SignIn by another person demotes the previous identity to Recognized', () => {
    const a = signIn(c, { userId: 'ann' }); // T0+3000
    const b = signIn(c, { email: 'bob@shop.test' }); // T0+4000
    apply(state, [a, b]);
    expect(state.sessions[`session-${a.eventID}`]).toMatchObject({ identityId: 'ann', endDate: T0 + 4000, endReason: 'SignIn' });
    expect(state.sessions[`session-${b.eventID}`]).toMatchObject({ identityId: 'bob@shop.test', endDate: 0 });
    expect(state.visits['v1'].activeSessionId).toBe(`session-${b.eventID}`);
    expect(state.visits['v1'].identities).toEqual([
      { identityId: 'ann', scope: 'Recognized', since: T0 + 4000 },
      { identityId: 'bob@shop.test', scope: 'Authenticated', since: T0 + 4000 },
    ]);
    expect(state.identities['ann'].visitScope).toBe('Recognized');
    expect(state.identities['bob@shop.test'].visitScope).toBe('Authenticated');
    expect(state.identityOrder).toEqual(['ann', 'bob@shop.test']);
    // The visit stays Authenticated (by bob), with no UserInfo.
    expect(state.visits['v1'].userInfoAt).toBeNull();
    expect(stateNow(state, 'v1')).toBe('Authenticated');
    // bob signs out: both Recognized, the visit Anonymous.
    const out = signOut(c);
    apply(state, [out]);
    expect(state.visits['v1'].identities.map((l) => [l.identityId, l.scope])).toEqual([
      ['ann', 'Recognized'],
      ['bob@shop.test', 'Recognized'],
    ]);
    expect(eventOf(state, out.eventID).visitorState).toBe('Anonymous');
  });

  it('each identity keeps its own association scope in the visit', () => {
    apply(state, [userInfo(c, 'carl'), signIn(c, { userId: 'ann' })]);
    expect(state.visits['v1'].identities.map((l) => [l.identityId, l.scope])).toEqual([
      ['carl', 'Recognized'],
      ['ann', 'Authenticated'],
    ]);
    expect(state.identities['carl'].visitScope).toBe('Recognized');
    expect(state.identities['ann'].visitScope).toBe('Authenticated');
  });

  it("an identity's visitScope is its scope after its latest transition in any visit", () => {
    const c2 = visitCtx('v2', 'g1', T0 + 10_000);
    apply(state, [signIn(c, { userId: 'ann' })]); // Authenticated in v1
    apply(state, [visitStarted(c2), userInfo(c2, 'ann')]); // Recognized in v2, later
    expect(link(state, 'v1', 'ann')?.scope).toBe('Authenticated');
    expect(link(state, 'v2', 'ann')?.scope).toBe('Recognized');
    expect(state.identities['ann'].visitScope).toBe('Recognized');
    expect(state.identities['ann'].visitIds).toEqual(['v1', 'v2']);
    expect(stateNow(state, 'v1')).toBe('Authenticated');
    expect(stateNow(state, 'v2')).toBe('Recognized');
  });

  it("the visitorState stored on each event follows the visit's state", () => {
    const events = [
      ev(c, 'AddToCart', { pageID: 'p1' }),
      signIn(c, { userId: 'ann' }),
      ev(c, 'AddToCart', { pageID: 'p1' }),
      signOut(c),
      ev(c, 'AddToCart', { pageID: 'p1' }),
      userInfo(c, 'ann'),
      ev(c, 'AddToCart', { pageID: 'p1' }),
      signIn(c, { userId: 'ann' }),
      signIn(c, { userId: 'bob' }),
      signOut(c),
      signOut(c),
    ];
    apply(state, events);
    expect(events.map((e) => eventOf(state, e.eventID).visitorState)).toEqual([
      'Anonymous',
      'Authenticated',
      'Authenticated',
      'Anonymous',
      'Anonymous',
      'Recognized',
      'Recognized',
      'Authenticated',
      'Authenticated',
      'Recognized',
      'Recognized',
    ]);
  });

  it('a SignIn in one visit does not touch another visit', () => {
    const c2 = visitCtx('v2', 'g1', T0);
    apply(state, [visitStarted(c2), signIn(c, { userId: 'ann' })]);
    expect(state.visits['v2'].identities).toEqual([]);
    expect(state.visits['v2'].activeSessionId).toBeNull();
    expect(stateNow(state, 'v2')).toBe('Anonymous');
  });
});

describe('the profile an identity keeps is bounded', () => {
  it('keeps at most PROFILE_LIMITS.keys keys, still updating the keys it has', () => {
    for (let i = 0; i < 600; i++) apply(state, [signIn(c, { userId: 'many', [`k${i}`]: i })]);
    const profile = state.identities['many'].profile;
    expect(Object.keys(profile)).toHaveLength(PROFILE_LIMITS.keys);
    expect(profile.k0).toBe(0);
    expect(profile.k599).toBeUndefined();
    apply(state, [signIn(c, { userId: 'many', k1: 'updated' })]);
    expect(state.identities['many'].profile.k1).toBe('updated');
    // Every SignIn is still stored whole.
    expect(state.visits[c.visitID].eventIds.length).toBeGreaterThan(600);
  });

  it('keeps at most PROFILE_LIMITS.chars characters of JSON', () => {
    for (let i = 0; i < 40; i++) apply(state, [signIn(c, { userId: 'fat', [`big${i}`]: 'x'.repeat(4000) })]);
    const profile = state.identities['fat'].profile;
    expect(JSON.stringify(profile).length).toBeLessThanOrEqual(PROFILE_LIMITS.chars);
    expect(Object.keys(profile).length).toBeGreaterThan(10);
    expect(profile.big39).toBeUndefined();
  });
});
