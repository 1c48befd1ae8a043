// The identifier rules of contract section 1: identityIdOf, and the SignIn and UserInfo
// identifiers that checkEvent refuses because they cannot become identityIds.
import { describe, expect, it } from 'vitest';
import { canonicalIdentityId, checkEvent, identityIdOf, LIMITS } from '../../../protocol';
import { base, problemOf } from './helpers';

describe('identityIdOf', () => {
  it('SignIn: userId, else email, trimmed', () => {
    expect(identityIdOf({ eventName: 'SignIn', data: { userId: 'ann', email: 'a@shop.test' } })).toBe('ann');
    expect(identityIdOf({ eventName: 'SignIn', data: { email: ' a@shop.test ' } })).toBe('a@shop.test');
    expect(identityIdOf({ eventName: 'SignIn', data: { userId: ' ann ' } })).toBe('ann');
    expect(identityIdOf({ eventName: 'SignIn', data: { userId: '  ', email: 'a@shop.test' } })).toBe('a@shop.test');
    expect(identityIdOf({ eventName: 'SignIn', data: { userId: 5, email: 'a@shop.test' } })).toBe('a@shop.test');
    expect(identityIdOf({ eventName: 'SignIn', data: {} })).toBeNull();
    expect(identityIdOf({ eventName: 'SignIn' })).toBeNull();
  });

  it('UserInfo: userId only', () => {
    expect(identityIdOf({ eventName: 'UserInfo', data: { userId: 'ann' } })).toBe('ann');
    expect(identityIdOf({ eventName: 'UserInfo', data: { email: 'a@shop.test' } })).toBeNull();
  });

  it('one identity whatever the case of an email, its width or its Unicode form', () => {
    for (const email of ['PAT@shop.test', 'pat@shop.test', ' Pat@Shop.Test ', 'ＰＡＴ＠ｓｈｏｐ．ｔｅｓｔ']) {
      expect(identityIdOf({ eventName: 'SignIn', data: { email } })).toBe('pat@shop.test');
      // The same address as a userId (sites often sign in with it, and UserInfo needs a userId).
      expect(identityIdOf({ eventName: 'SignIn', data: { userId: email } })).toBe('pat@shop.test');
      expect(identityIdOf({ eventName: 'UserInfo', data: { userId: email } })).toBe('pat@shop.test');
    }
    // Composed and decomposed accents are one text.
    expect(identityIdOf({ eventName: 'SignIn', data: { email: 'Jose\u0301@shop.test' } })).toBe('jos\u00e9@shop.test');
  });

  it('a userId that is no email keeps its case (the site\'s own key), but not its width', () => {
    expect(identityIdOf({ eventName: 'SignIn', data: { userId: 'U1' } })).toBe('U1');
    expect(identityIdOf({ eventName: 'SignIn', data: { userId: 'u1' } })).toBe('u1');
    expect(identityIdOf({ eventName: 'UserInfo', data: { userId: 'Ｕ１' } })).toBe('U1');
    expect(identityIdOf({ eventName: 'UserInfo', data: { userId: '@Pat' } })).toBe('@Pat'); // a handle, not an address
  });

  it('canonicalIdentityId is a fixed point (a canonical id looked up again finds itself)', () => {
    for (const s of ['PAT@shop.test', 'İ@x', 'ǅ@X', 'ﬁ@x', 'Ｕ１', 'Straße@X', ' a\u00a0b ']) {
      const once = canonicalIdentityId(s);
      expect(canonicalIdentityId(once)).toBe(once);
    }
  });

  it('other events carry no identity', () => {
    expect(identityIdOf({ eventName: 'SignOut', data: { userId: 'ann' } })).toBeNull();
    expect(identityIdOf({ eventName: 'PageEntered', data: { userId: 'ann' } })).toBeNull();
  });
});

describe('checkEvent: identifiers that become identityIds', () => {
  const signInWith = (data: Record<string, unknown>) => checkEvent(base({ eventName: 'SignIn', data }));
  const userInfoWith = (data: Record<string, unknown>) => checkEvent(base({ eventName: 'UserInfo', data }));

  it('rejects an identifier whose identityId would be "__proto__" (full width)', () => {
    for (const [key, value] of [['userId', '＿＿ｐｒｏｔｏ＿＿'], ['email', ' ＿＿proto＿＿ ']]) {
      const p = problemOf(signInWith({ [key]: value }));
      expect(p?.field).toBe(`data.${key}`);
      expect(p?.reason).toContain('as an identityId');
    }
    // Lower case applies to email addresses only: `__PROTO__` stays a key of its own.
    expect(signInWith({ userId: '__PROTO__' }).ok).toBe(true);
  });

  it('rejects SignIn with data.userId "__proto__", naming data.userId', () => {
    const p = problemOf(signInWith({ userId: '__proto__' }));
    expect(p?.field).toBe('data.userId');
    expect(p?.reason).toContain('__proto__');
    // Padded, it trims to the same key; an email beside it does not rescue it.
    expect(problemOf(signInWith({ userId: '  __proto__ ' }))?.field).toBe('data.userId');
    expect(problemOf(signInWith({ userId: '__proto__', email: 'ann@shop.test' }))?.field).toBe('data.userId');
  });

  it('rejects SignIn with data.email "__proto__" and no userId, naming data.email', () => {
    const p = problemOf(signInWith({ email: '__proto__' }));
    expect(p?.field).toBe('data.email');
    expect(p?.reason).toContain('__proto__');
    expect(problemOf(signInWith({ email: ' __proto__ ', firstName: 'Ann' }))?.field).toBe('data.email');
  });

  it('rejects UserInfo with data.userId "__proto__", naming data.userId', () => {
    const p = problemOf(userInfoWith({ userId: '__proto__' }));
    expect(p?.field).toBe('data.userId');
    expect(p?.reason).toContain('__proto__');
  });

  it(`rejects an identifier longer than ${LIMITS.idLength} characters and accepts ${LIMITS.idLength}`, () => {
    expect(LIMITS.idLength).toBe(256);
    const long = 'x'.repeat(257);
    expect(problemOf(signInWith({ userId: long }))?.field).toBe('data.userId');
    expect(problemOf(signInWith({ email: `${'m'.repeat(250)}@shop.test` }))?.field).toBe('data.email');
    expect(problemOf(userInfoWith({ userId: long }))?.field).toBe('data.userId');
    const fits = 'x'.repeat(256);
    expect(signInWith({ userId: fits })).toEqual({ ok: true, event: base({ eventName: 'SignIn', data: { userId: fits } }) });
    expect(userInfoWith({ userId: fits }).ok).toBe(true);
  });

  it('a whitespace-only userId is no identifier: stored with a warning naming data.userId', () => {
    const warned = (r: ReturnType<typeof signInWith>) => (r.ok ? r.warnings?.map((w) => w.field) : r.problem);
    for (const blank of [' ', '   ', '\t', ' \n ']) {
      expect(warned(signInWith({ userId: blank })), JSON.stringify(blank)).toEqual(['data.userId']);
      expect(warned(userInfoWith({ userId: blank })), JSON.stringify(blank)).toEqual(['data.userId']);
    }
    expect(warned(signInWith({ email: '  ' }))).toEqual(['data.userId']);
  });
});

describe('checkEvent: a blank userId beside an email', () => {
  it('is not an identifier: the SignIn is accepted and identified by its email', () => {
    const input = {
      eventType: 'SYSTEM', eventName: 'SignIn', eventID: 'e-blank', timestamp: 1, globalVisitID: 'g', visitID: 'v',
      data: { userId: '   ', email: 'ann@shop.test' },
    };
    const check = checkEvent(input);
    expect(check.ok).toBe(true);
    if (check.ok) expect(identityIdOf(check.event)).toBe('ann@shop.test');
  });
});
