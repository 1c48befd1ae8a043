// Identification (contract section 3 and docs/identification.md), sessions: a visit starts
// Anonymous; SignIn makes it Authenticated and opens a session; SignOut closes it.
import { beforeEach, describe, expect, it } from 'vitest';
import { eventOf, type LabState } from '../../../companion/engine';
import { ev, signIn, signOut, userInfo, type VisitCtx } from '../../helpers/events';
import { apply, link, stateNow, T0, openVisit } from './apply-helpers';

let state: LabState;
let c: VisitCtx;
beforeEach(() => ({ state, c } = openVisit())); // v1 started at T0+1000, p1 entered at T0+2000

describe('Anonymous', () => {
  it('a visit starts Anonymous, with no identity and no session', () => {
    expect(stateNow(state, 'v1')).toBe('Anonymous');
    expect(state.visits['v1'].identities).toEqual([]);
    expect(state.visits['v1'].activeSessionId).toBeNull();
    expect(state.identities).toEqual({});
    expect(state.sessions).toEqual({});
    for (const id of state.visits['v1'].eventIds) expect(eventOf(state, id).visitorState).toBe('Anonymous');
  });

  it('business events do not identify anyone', () => {
    const e = ev(c, 'SignIn', { eventType: 'BUSINESS', pageID: 'p1', data: { userId: 'not-me' } });
    apply(state, [e]);
    expect(state.identities).toEqual({});
    expect(eventOf(state, e.eventID).visitorState).toBe('Anonymous');
  });
});

describe('SignIn: Anonymous -> Authenticated', () => {
  it('creates the identity from userId, opens a session and makes the visit Authenticated', () => {
    const e = signIn(c, { userId: 'ann', email: 'ann@shop.test' }); // T0+3000
    apply(state, [e]);
    const sessionId = `session-${e.eventID}`;
    expect(state.identities['ann']).toMatchObject({
      identityId: 'ann',
      name: 'ann',
      location: null,
      visitScope: 'Authenticated',
      since: T0 + 3000,
      visitIds: ['v1'],
    });
    expect(state.identityOrder).toEqual(['ann']);
    expect(state.visits['v1'].identities).toEqual([{ identityId: 'ann', scope: 'Authenticated', since: T0 + 3000 }]);
    expect(state.visits['v1'].activeSessionId).toBe(sessionId);
    expect(state.sessions).toEqual({
      [sessionId]: { sessionId, visitId: 'v1', identityId: 'ann', startDate: T0 + 3000, endDate: 0, endReason: null },
    });
    expect(eventOf(state, e.eventID).visitorState).toBe('Authenticated');
    expect(stateNow(state, 'v1')).toBe('Authenticated');
  });

  it('identityId is the email when there is no userId (trimmed)', () => {
    const e = signIn(c, { email: '  bob@shop.test ' });
    apply(state, [e]);
    expect(Object.keys(state.identities)).toEqual(['bob@shop.test']);
    expect(state.sessions[`session-${e.eventID}`].identityId).toBe('bob@shop.test');
    expect(link(state, 'v1', 'bob@shop.test')?.scope).toBe('Authenticated');
  });

  it('identityId is the email when userId is blank', () => {
    apply(state, [signIn(c, { userId: '   ', email: 'carl@shop.test' })]);
    expect(Object.keys(state.identities)).toEqual(['carl@shop.test']);
  });

  it("the session id is the event's sessionID when it is fresh", () => {
    const e = signIn(c, { userId: 'ann' });
    e.sessionID = 'sess-from-tracker';
    apply(state, [e]);
    expect(state.visits['v1'].activeSessionId).toBe('sess-from-tracker');
    expect(state.sessions['sess-from-tracker'].identityId).toBe('ann');
  });

  it("a sessionID already used falls back to session-<eventID>", () => {
    const first = signIn(c, { userId: 'ann' });
    first.sessionID = 'sess-same';
    const out = signOut(c);
    const second = signIn(c, { userId: 'ann' });
    second.sessionID = 'sess-same';
    apply(state, [first, out, second]);
    expect(state.visits['v1'].activeSessionId).toBe(`session-${second.eventID}`);
    expect(state.sessions['sess-same'].endReason).toBe('SignOut');
    expect(Object.keys(state.sessions)).toEqual(['sess-same', `session-${second.eventID}`]);
  });

  it('records the identity profile, name and location', () => {
    const e = signIn(c, { userId: 'ann', firstName: 'Ann', lastName: 'Lee', phone: '+1 555 0100', location: 'Paris', plan: 'gold', tags: ['a', 'b'] });
    apply(state, [e]);
    expect(state.identities['ann'].profile).toEqual({
      userId: 'ann',
      firstName: 'Ann',
      lastName: 'Lee',
      phone: '+1 555 0100',
      location: 'Paris',
      plan: 'gold',
      tags: ['a', 'b'],
    });
    expect(state.identities['ann'].name).toBe('Ann Lee');
    expect(state.identities['ann'].location).toBe('Paris');
  });

  it('name is the first name alone, the last name alone, else the identityId', () => {
    apply(state, [signIn(c, { userId: 'f', firstName: 'Fay' }), signIn(c, { userId: 'l', lastName: 'Long' }), signIn(c, { email: 'n@shop.test' })]);
    expect(state.identities['f'].name).toBe('Fay');
    expect(state.identities['l'].name).toBe('Long');
    expect(state.identities['n@shop.test'].name).toBe('n@shop.test');
    expect(state.identities['n@shop.test'].location).toBeNull();
  });

  it('a later event updates the profile, newest value winning, and keeps what it does not say', () => {
    apply(state, [signIn(c, { userId: 'ann', firstName: 'Ann', lastName: 'Lee', location: 'Paris', plan: 'gold' }), signOut(c)]);
    apply(state, [signIn(c, { userId: 'ann', firstName: 'Anne', plan: 'platinum' })]);
    expect(state.identities['ann'].profile).toEqual({ userId: 'ann', firstName: 'Anne', lastName: 'Lee', location: 'Paris', plan: 'platinum' });
    expect(state.identities['ann'].name).toBe('Anne Lee');
    expect(state.identities['ann'].location).toBe('Paris');
    apply(state, [userInfo(c, 'ann')]);
    expect(state.identities['ann'].profile.plan).toBe('platinum');
    expect(state.identities['ann'].location).toBe('Paris');
    apply(state, [signIn(c, { userId: 'ann', location: 'Lyon' })]);
    expect(state.identities['ann'].location).toBe('Lyon');
    expect(state.identityOrder).toEqual(['ann']);
  });
});

describe('SignOut: Authenticated -> Recognized identity, Anonymous visit', () => {
  it('closes the session; the identity becomes Recognized; the visit is Anonymous again', () => {
    const sign = signIn(c, { userId: 'ann' }); // T0+3000
    const out = signOut(c); // T0+4000
    apply(state, [sign, out]);
    const sessionId = `session-${sign.eventID}`;
    expect(state.sessions[sessionId]).toEqual({
      sessionId,
      visitId: 'v1',
      identityId: 'ann',
      startDate: T0 + 3000,
      endDate: T0 + 4000,
      endReason: 'SignOut',
    });
    expect(state.visits['v1'].activeSessionId).toBeNull();
    expect(state.visits['v1'].identities).toEqual([{ identityId: 'ann', scope: 'Recognized', since: T0 + 4000 }]);
    expect(state.identities['ann'].visitScope).toBe('Recognized');
    expect(state.identities['ann'].since).toBe(T0 + 4000);
    expect(eventOf(state, sign.eventID).visitorState).toBe('Authenticated');
    expect(eventOf(state, out.eventID).visitorState).toBe('Anonymous');
    expect(stateNow(state, 'v1')).toBe('Anonymous');
  });

  it('after a UserInfo in the visit, SignOut leaves the visit Recognized', () => {
    const info = userInfo(c, 'ann');
    const sign = signIn(c, { userId: 'ann' });
    const out = signOut(c);
    apply(state, [info, sign, out]);
    expect(eventOf(state, info.eventID).visitorState).toBe('Recognized');
    expect(eventOf(state, sign.eventID).visitorState).toBe('Authenticated');
    expect(eventOf(state, out.eventID).visitorState).toBe('Recognized');
    expect(stateNow(state, 'v1')).toBe('Recognized');
    expect(link(state, 'v1', 'ann')?.scope).toBe('Recognized');
  });

  it('SignOut with no open session is stored and changes nothing', () => {
    const before = structuredClone(state);
    const out = signOut(c);
    apply(state, [out]);
    expect(eventOf(state, out.eventID)).toMatchObject({ eventName: 'SignOut', visitorState: 'Anonymous' });
    expect(state.visits['v1'].eventIds.at(-1)).toBe(out.eventID);
    expect(state.sessions).toEqual(before.sessions);
    expect(state.identities).toEqual(before.identities);
    expect(state.contacts).toEqual(before.contacts);
    expect(state.visits['v1'].identities).toEqual([]);
    expect(state.visits['v1'].activeSessionId).toBeNull();
    expect(state.visits['v1'].userInfoAt).toBeNull();
  });

  it('a second SignOut changes nothing either', () => {
    const sign = signIn(c, { userId: 'ann' });
    const out1 = signOut(c);
    apply(state, [sign, out1]);
    const sessions = structuredClone(state.sessions);
    const identities = structuredClone(state.identities);
    const links = structuredClone(state.visits['v1'].identities);
    const out2 = signOut(c);
    apply(state, [out2]);
    expect(state.sessions).toEqual(sessions);
    expect(state.identities).toEqual(identities);
    expect(state.visits['v1'].identities).toEqual(links);
    expect(eventOf(state, out2.eventID).visitorState).toBe('Anonymous');
  });
});
