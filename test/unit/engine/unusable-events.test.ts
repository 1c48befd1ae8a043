// Events GWE would store but cannot use for identification (contract section 1, "as strict as
// GWE"): intake stores them with a warning; the engine stores them and changes nothing.
import { beforeEach, describe, expect, it } from 'vitest';
import { eventOf, type LabState } from '../../../companion/engine';
import { ev, signIn, type VisitCtx } from '../../helpers/events';
import { apply, openVisit, stateNow } from './apply-helpers';

let state: LabState;
let c: VisitCtx;
beforeEach(() => ({ state, c } = openVisit()));

describe('identifying events without their identifier', () => {
  it('a SignIn with neither userId nor email is stored and opens no session, makes no identity', () => {
    const e = ev(c, 'SignIn', { pageID: 'p1', data: { firstName: 'Ann' } });
    apply(state, [e]);
    expect(state.visits['v1'].eventIds).toContain(e.eventID);
    expect(state.pages['v1:p1'].eventIds).toContain(e.eventID);
    expect(state.visits['v1'].activeSessionId).toBeNull();
    expect(state.identities).toEqual({});
    expect(state.sessions).toEqual({});
    expect(eventOf(state, e.eventID).visitorState).toBe('Anonymous');
  });

  it('a UserInfo with only an email is stored and recognises no one', () => {
    const e = ev(c, 'UserInfo', { pageID: 'p1', data: { email: 'ann@shop.test' } });
    apply(state, [e]);
    expect(state.visits['v1'].eventIds).toContain(e.eventID);
    expect(state.visits['v1'].userInfoAt).toBeNull();
    expect(state.visits['v1'].identities).toEqual([]);
    expect(stateNow(state, 'v1')).toBe('Anonymous');
  });

  it('an empty SignIn while signed in leaves the open session as it was', () => {
    apply(state, [signIn(c, { userId: 'ann' })]);
    const session = state.visits['v1'].activeSessionId;
    apply(state, [ev(c, 'SignIn', { pageID: 'p1', data: {} })]);
    expect(state.visits['v1'].activeSessionId).toBe(session);
    expect(stateNow(state, 'v1')).toBe('Authenticated');
  });
});

describe('SYSTEM names GWE does not know', () => {
  it('are stored on their page and change nothing', () => {
    const e = ev(c, 'PageReloaded', { eventType: 'SYSTEM', pageID: 'p1', data: { userId: 'ann' } });
    apply(state, [e]);
    expect(state.pages['v1:p1'].eventIds).toContain(e.eventID);
    expect(state.identities).toEqual({});
    expect(eventOf(state, e.eventID).eventName).toBe('PageReloaded');
  });
});
