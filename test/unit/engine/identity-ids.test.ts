// Identifiers that differ only in case (an email address), width or Unicode form name one
// identity, with one contact; a userId that is no email keeps its case.
import { describe, expect, it } from 'vitest';
import { emptyState } from '../../../companion/engine';
import { signIn, signOut, userInfo, visitCtx, visitStarted } from '../../helpers/events';
import { apply, link, openVisit, seedContacts, T0 } from './apply-helpers';

describe('one identity per person, however the identifier is written', () => {
  it('PAT@, pat@ and full-width ＰＡＴ＠ sign in as one identity with one contact', () => {
    const { state, c } = openVisit();
    apply(state, [
      signIn(c, { email: 'PAT@shop.test', firstName: 'Pat' }),
      signOut(c),
      signIn(c, { email: 'pat@shop.test' }),
      signOut(c),
      signIn(c, { email: 'ＰＡＴ＠ｓｈｏｐ．ｔｅｓｔ' }),
    ]);
    expect(state.identityOrder).toEqual(['pat@shop.test']);
    expect(Object.keys(state.contacts)).toEqual(['contact-pat@shop.test']);
    expect(state.identities['pat@shop.test'].entityInCS).toBe('contact-pat@shop.test');
    expect(state.visits.v1.identities).toHaveLength(1);
  });

  it('UserInfo with the email the SignIn used, in another case, recognises the same identity', () => {
    const { state, c } = openVisit();
    apply(state, [signIn(c, { email: 'Quinn@Shop.test' })]);
    const c2 = visitCtx('v2', 'g1', T0 + 100_000);
    apply(state, [visitStarted(c2), userInfo(c2, 'quinn@shop.test')]);
    expect(state.identityOrder).toEqual(['quinn@shop.test']);
    expect(link(state, 'v2', 'quinn@shop.test')?.scope).toBe('Recognized');
    expect(state.identities['quinn@shop.test'].visitIds).toEqual(['v1', 'v2']);
  });

  it('userIds that differ in case are two accounts; in width only, one', () => {
    const { state, c } = openVisit();
    apply(state, [signIn(c, { userId: 'U1' }), signIn(c, { userId: 'u1' }), signIn(c, { userId: 'Ｕ１' })]);
    expect(state.identityOrder).toEqual(['U1', 'u1']);
    expect(state.sessions[state.visits.v1.activeSessionId!].identityId).toBe('U1');
  });

  it('a full-width userId, email or phone finds the contact its plain form names', () => {
    const state = emptyState();
    seedContacts(state, [
      { contactId: 'c-u', userId: 'U77', origin: 'seed' },
      { contactId: 'c-e', email: 'eve@shop.test', origin: 'seed' },
      { contactId: 'c-p', phone: '+1 555 0100', origin: 'seed' },
    ]);
    const c = visitCtx('v1', 'g1', T0);
    apply(state, [
      visitStarted(c),
      signIn(c, { userId: 'Ｕ７７' }),
      signIn(c, { userId: 'eve', email: 'ＥＶＥ@shop.test' }),
      signIn(c, { userId: 'ray', phone: '＋１ ５５５ ０１００' }),
    ]);
    expect(state.identities['U77'].entityInCS).toBe('c-u');
    expect(state.identities['eve'].entityInCS).toBe('c-e');
    expect(state.identities['ray'].entityInCS).toBe('c-p');
  });

  it('an identity stored before ids were canonical (PAT@ as sent) is still reached by that identifier', () => {
    const { state, c } = openVisit();
    // As an earlier version stored it: the identifier as sent, trimmed.
    state.identities['PAT@shop.test'] = {
      identityId: 'PAT@shop.test', name: 'Pat', location: null, entityInCS: null,
      visitScope: 'Recognized', since: T0, profile: {}, visitIds: [],
    };
    state.identityOrder.push('PAT@shop.test');
    apply(state, [signIn(c, { email: 'PAT@shop.test' })]);
    expect(state.identityOrder).toEqual(['PAT@shop.test']);
    expect(link(state, 'v1', 'PAT@shop.test')?.scope).toBe('Authenticated');
  });
});
