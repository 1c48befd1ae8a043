// Identification (contract section 3 and docs/identification.md), the contact directory: an
// identity is matched to a contact by userId, email or phone, else a contact is created.
import { beforeEach, describe, expect, it } from 'vitest';
import { applyOperation, DEFAULT_ENGINE_CONFIG, findContact, type LabState } from '../../../companion/engine';
import { signIn, signOut, userInfo, type VisitCtx } from '../../helpers/events';
import { apply, seedContacts, openVisit } from './apply-helpers';

let state: LabState;
let c: VisitCtx;
beforeEach(() => ({ state, c } = openVisit())); // v1 started at T0+1000, p1 entered at T0+2000

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
    expect(state.identities['hal@shop.test'].entityInCS).toBe('contact-hal');
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

describe('the contact index', () => {
  it('follows contacts whose keys change', () => {
    seedContacts(state, [{ contactId: 'c-x', email: 'old@shop.test', origin: 'seed' }]);
    seedContacts(state, [{ contactId: 'c-x', email: 'new@shop.test', origin: 'seed' }]);
    expect(findContact(state, { email: 'old@shop.test' })).toBeUndefined();
    expect(findContact(state, { email: 'NEW@shop.test' })?.contactId).toBe('c-x');
  });

  it('prefers userId over email over phone, and the smallest contactId among equals', () => {
    seedContacts(state, [
      { contactId: 'c-b', email: 'same@shop.test', origin: 'seed' },
      { contactId: 'c-a', email: 'same@shop.test', phone: '+44 1', origin: 'seed' },
      { contactId: 'c-z', userId: 'zed', origin: 'seed' },
    ]);
    expect(findContact(state, { email: 'same@shop.test' })?.contactId).toBe('c-a');
    expect(findContact(state, { userId: 'zed', email: 'same@shop.test' })?.contactId).toBe('c-z');
    expect(findContact(state, { userId: 'nobody', phone: '+441' })?.contactId).toBe('c-a');
  });

  it('gives the same answer after the state is reloaded from JSON (no memory of insertion order)', () => {
    seedContacts(state, [
      { contactId: 'c-2', email: 'twin@shop.test', origin: 'seed' },
      { contactId: 'c-1', email: 'other@shop.test', origin: 'seed' },
    ]);
    seedContacts(state, [{ contactId: 'c-1', email: 'twin@shop.test', origin: 'seed' }]);
    const live = findContact(state, { email: 'twin@shop.test' })?.contactId;
    const reloaded = JSON.parse(JSON.stringify(state)) as LabState;
    expect(findContact(reloaded, { email: 'twin@shop.test' })?.contactId).toBe(live);
  });

  it('is emptied with the state on reset', () => {
    apply(state, [signIn(c, { userId: 'ann' })]);
    applyOperation(state, { seq: state.seq + 1, op: { kind: 'reset' } }, DEFAULT_ENGINE_CONFIG);
    expect(findContact(state, { userId: 'ann' })).toBeUndefined();
  });
});
