// Identification (contract section 3 and docs/identification.md): every transition between
// Anonymous, Authenticated and Recognized; sessions; identities and their association scopes;
// the contact directory; and the journal-level rules of applyOperation.
import { beforeEach, describe, expect, it } from 'vitest';
import {
  eventOf,
  applyOperation,
  DEFAULT_ENGINE_CONFIG,
  emptyState,
  findContact,
  visitorStateOf,
  type LabState,
} from '../../../companion/engine';
import type { Contact, GtEvent } from '../../../protocol';
import { ev, pageEntered, signIn, signOut, stored, userInfo, visitCtx, visitStarted, type VisitCtx } from '../../helpers/events';

const T0 = 1_700_000_000_000;
const CFG = DEFAULT_ENGINE_CONFIG;

let seq = 0;
function apply(state: LabState, events: GtEvent[]) {
  return applyOperation(state, { seq: ++seq, op: { kind: 'events', userAgent: 'UA/1', events: events.map((e) => stored(e)) } }, CFG);
}
function seedContacts(state: LabState, contacts: Contact[]) {
  return applyOperation(state, { seq: ++seq, op: { kind: 'contacts', contacts } }, CFG);
}
/** The visit's state "now", right after its latest event. */
function stateNow(state: LabState, visitId: string) {
  const visit = state.visits[visitId];
  return visitorStateOf(visit, visit.lastActivity, CFG);
}
function link(state: LabState, visitId: string, identityId: string) {
  return state.visits[visitId].identities.find((l) => l.identityId === identityId);
}

let state: LabState;
let c: VisitCtx;
beforeEach(() => {
  state = emptyState();
  c = visitCtx('v1', 'g1', T0);
  apply(state, [visitStarted(c), pageEntered(c, 'p1')]); // T0+1000, T0+2000
});

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

describe('contacts', () => {
  beforeEach(() => {
    seedContacts(state, [
      { contactId: 'c-user', userId: 'ann', origin: 'seed' },
      { contactId: 'c-mail', email: 'Bob@Shop.Test', origin: 'seed' },
      { contactId: 'c-phone', phone: '+1 (555) 010-0', origin: 'seed' },
    ]);
  });

  it('matches a seeded contact by userId', () => {
    apply(state, [signIn(c, { userId: 'ann' })]);
    expect(state.identities['ann'].entityInCS).toBe('c-user');
    expect(Object.keys(state.contacts)).toEqual(['c-user', 'c-mail', 'c-phone']);
  });

  it('matches by email, case-insensitively', () => {
    apply(state, [signIn(c, { email: 'bob@shop.test' })]);
    expect(state.identities['bob@shop.test'].entityInCS).toBe('c-mail');
    apply(state, [signIn(c, { userId: 'bobby', email: ' BOB@SHOP.TEST ' })]);
    expect(state.identities['bobby'].entityInCS).toBe('c-mail');
    expect(Object.keys(state.contacts)).toHaveLength(3);
  });

  it('matches by phone, comparing digits', () => {
    apply(state, [signIn(c, { userId: 'pat', phone: '+1 555-0100' })]);
    expect(state.identities['pat'].entityInCS).toBe('c-phone');
    apply(state, [signIn(c, { userId: 'pam', phone: '+1.555.01.00' })]);
    expect(state.identities['pam'].entityInCS).toBe('c-phone');
    expect(Object.keys(state.contacts)).toHaveLength(3);
  });

  it('prefers userId over email over phone', () => {
    apply(state, [signIn(c, { userId: 'ann', email: 'bob@shop.test', phone: '+15550100' })]);
    expect(state.identities['ann'].entityInCS).toBe('c-user');
    apply(state, [signIn(c, { userId: 'zed', email: 'bob@shop.test', phone: '+15550100' })]);
    expect(state.identities['zed'].entityInCS).toBe('c-mail');
    expect(findContact(state, { email: 'BOB@shop.test', phone: '+15550100' })?.contactId).toBe('c-mail');
    expect(findContact(state, { phone: '+1 555 0100' })?.contactId).toBe('c-phone');
    expect(findContact(state, { userId: 'nobody' })).toBeUndefined();
  });

  it('userId matching is exact (case-sensitive)', () => {
    apply(state, [signIn(c, { userId: 'ANN' })]);
    expect(state.identities['ANN'].entityInCS).toBe('contact-ANN');
  });

  it('creates contact-<identityId> with origin SignIn when nothing matches', () => {
    apply(state, [signIn(c, { userId: 'eve', email: 'eve@shop.test', phone: '+33 1 23', firstName: 'Eve', lastName: 'Adams', plan: 'x' })]);
    expect(state.identities['eve'].entityInCS).toBe('contact-eve');
    expect(state.contacts['contact-eve']).toEqual({
      contactId: 'contact-eve',
      userId: 'eve',
      email: 'eve@shop.test',
      phone: '+33 1 23',
      firstName: 'Eve',
      lastName: 'Adams',
      origin: 'SignIn',
    });
  });

  it('a created contact for an email-only SignIn is named after the email and has no userId', () => {
    apply(state, [signIn(c, { email: 'fay@shop.test' })]);
    expect(state.identities['fay@shop.test'].entityInCS).toBe('contact-fay@shop.test');
    expect(state.contacts['contact-fay@shop.test']).toEqual({ contactId: 'contact-fay@shop.test', email: 'fay@shop.test', origin: 'SignIn' });
  });

  it('a created contact gets a numbered id when contact-<identityId> is taken', () => {
    seedContacts(state, [{ contactId: 'contact-gus', email: 'someone-else@shop.test', origin: 'seed' }]);
    apply(state, [signIn(c, { userId: 'gus' })]);
    expect(state.identities['gus'].entityInCS).toBe('contact-gus-2');
    expect(state.contacts['contact-gus-2']).toMatchObject({ userId: 'gus', origin: 'SignIn' });
    expect(state.contacts['contact-gus']).toEqual({ contactId: 'contact-gus', email: 'someone-else@shop.test', origin: 'seed' });
  });

  it('a created contact is found again by the next identity with the same email', () => {
    apply(state, [signIn(c, { userId: 'hal', email: 'hal@shop.test' }), signIn(c, { email: 'HAL@shop.test' })]);
    expect(state.identities['HAL@shop.test'].entityInCS).toBe('contact-hal');
  });

  it('an identity keeps its contact on later SignIns', () => {
    apply(state, [signIn(c, { userId: 'ivy', email: 'ivy@shop.test' }), signOut(c), signIn(c, { userId: 'ivy', email: 'bob@shop.test' })]);
    expect(state.identities['ivy'].entityInCS).toBe('contact-ivy');
  });

  it('UserInfo also links the identity to a matching contact', () => {
    apply(state, [userInfo(c, 'ann')]);
    expect(state.identities['ann'].entityInCS).toBe('c-user');
  });

  it('UserInfo for an unknown person creates contact-<identityId>', () => {
    apply(state, [userInfo(c, 'kim')]);
    expect(state.identities['kim'].entityInCS).toBe('contact-kim');
    expect(state.contacts['contact-kim']).toMatchObject({ contactId: 'contact-kim', userId: 'kim' });
  });

  it('the contacts operation merges into an existing contact', () => {
    seedContacts(state, [{ contactId: 'c-user', email: 'ann@shop.test', origin: 'seed' }]);
    expect(state.contacts['c-user']).toEqual({ contactId: 'c-user', userId: 'ann', email: 'ann@shop.test', origin: 'seed' });
  });
});

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
