// The event schema of contract section 2 and the identifier rules of section 1.
import { describe, expect, it } from 'vitest';
import { checkEvent, identityIdOf, LIMITS, SYSTEM_EVENT_NAMES, type EventCheck } from '../../protocol';

function base(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventType: 'SYSTEM',
    eventName: 'VisitStarted',
    eventID: 'e-1',
    pageID: 'p-1',
    timestamp: 1_700_000_000_000,
    category: 'shop;home',
    url: 'http://shop.test/',
    languageCode: 'en',
    globalVisitID: 'g-1',
    visitID: 'v-1',
    ...extra,
  };
}

function without(field: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const e = base(extra);
  delete e[field];
  return e;
}

function problemOf(r: EventCheck) {
  expect(r.ok).toBe(false);
  return r.ok ? undefined : r.problem;
}

/** Builds an object from JSON text, so that `__proto__` is an own key as it is in a parsed body. */
function fromJson(text: string): unknown {
  return JSON.parse(text);
}

/** data with `levels` nested objects, data itself being level 1. */
function nested(levels: number): Record<string, unknown> {
  let inner: Record<string, unknown> = { leaf: 'x' };
  for (let i = 1; i < levels; i++) inner = { a: inner };
  return inner;
}

describe('checkEvent: valid events', () => {
  it('accepts every SYSTEM event name', () => {
    for (const name of SYSTEM_EVENT_NAMES) {
      const data = name === 'SignIn' || name === 'UserInfo' ? { userId: 'ann' } : {};
      const r = checkEvent(base({ eventName: name, data }));
      expect(r, name).toEqual({ ok: true, event: base({ eventName: name, data }) });
    }
  });

  it('accepts a BUSINESS event with any name and data', () => {
    const input = base({ eventType: 'BUSINESS', eventName: 'AddToCart', data: { sku: 'A1', qty: 2, tags: ['x'], nested: { ok: true } } });
    const r = checkEvent(input);
    expect(r).toEqual({ ok: true, event: input });
  });

  it('does not apply identifier rules to BUSINESS events', () => {
    expect(checkEvent(base({ eventType: 'BUSINESS', eventName: 'SignIn' })).ok).toBe(true);
    expect(checkEvent(base({ eventType: 'BUSINESS', eventName: 'Anything', pageID: undefined })).ok).toBe(true);
  });

  it('accepts the minimal event (optional fields left out)', () => {
    const minimal = { eventType: 'SYSTEM', eventName: 'VisitStarted', eventID: 'e', timestamp: 0, globalVisitID: 'g', visitID: 'v' };
    expect(checkEvent(minimal)).toEqual({ ok: true, event: minimal });
  });

  it('keeps sessionID', () => {
    const r = checkEvent(base({ sessionID: 's-1' }));
    expect(r.ok && r.event.sessionID).toBe('s-1');
  });

  it('drops unknown top-level fields', () => {
    const r = checkEvent(base({ extra: 'x', serverTimestamp: 5, visitorState: 'Authenticated' }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.event).toEqual(base());
    expect('extra' in r.event).toBe(false);
    expect('serverTimestamp' in r.event).toBe(false);
    expect('visitorState' in r.event).toBe(false);
  });

  it('trims ids and names', () => {
    const r = checkEvent(base({ eventID: '  e-7 ', eventName: ' PageEntered ', visitID: ' v ', globalVisitID: 'g ' }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.event.eventID).toBe('e-7');
    expect(r.event.eventName).toBe('PageEntered');
    expect(r.event.visitID).toBe('v');
    expect(r.event.globalVisitID).toBe('g');
  });
});

describe('checkEvent: required fields', () => {
  const required = ['eventType', 'eventName', 'eventID', 'timestamp', 'globalVisitID', 'visitID'] as const;

  for (const field of required) {
    it(`rejects a missing ${field}, naming it`, () => {
      expect(problemOf(checkEvent(without(field)))?.field).toBe(field);
    });
  }

  const illTyped: [string, unknown][] = [
    ['eventType', 'OTHER'],
    ['eventType', 'system'],
    ['eventType', 1],
    ['eventName', ''],
    ['eventName', '   '],
    ['eventName', 42],
    ['eventName', 'x'.repeat(LIMITS.nameLength + 1)],
    ['eventID', ''],
    ['eventID', '  '],
    ['eventID', 7],
    ['eventID', '__proto__'],
    ['eventID', 'x'.repeat(LIMITS.idLength + 1)],
    ['timestamp', '1700000000000'],
    ['timestamp', -1],
    ['timestamp', Number.NaN],
    ['timestamp', Number.POSITIVE_INFINITY],
    ['timestamp', null],
    ['globalVisitID', ''],
    ['globalVisitID', 123],
    ['globalVisitID', null],
    ['visitID', ''],
    ['visitID', {}],
    ['visitID', '__proto__'],
    ['pageID', 5],
    ['pageID', ''],
    ['sessionID', ''],
    ['url', 99],
    ['url', 'x'.repeat(LIMITS.textLength + 1)],
    ['category', ['a']],
    ['data', 'text'],
    ['data', ['array']],
    ['data', null],
  ];
  for (const [field, value] of illTyped) {
    it(`rejects ${field} = ${JSON.stringify(value)?.slice(0, 30)}, naming it`, () => {
      const p = problemOf(checkEvent(base({ [field]: value })));
      expect(p?.field).toBe(field);
      expect(p?.reason).toEqual(expect.any(String));
      expect(p?.reason.length).toBeGreaterThan(0);
    });
  }

  it('accepts the limits themselves', () => {
    expect(checkEvent(base({ eventID: 'x'.repeat(LIMITS.idLength) })).ok).toBe(true);
    expect(checkEvent(base({ eventType: 'BUSINESS', eventName: 'x'.repeat(LIMITS.nameLength) })).ok).toBe(true);
    expect(checkEvent(base({ timestamp: 0 })).ok).toBe(true);
  });
});

describe('checkEvent: SYSTEM event rules', () => {
  it('rejects an unknown SYSTEM event name', () => {
    const p = problemOf(checkEvent(base({ eventName: 'PageReloaded' })));
    expect(p?.field).toBe('eventName');
    expect(p?.reason).toContain('PageReloaded');
  });

  it('SYSTEM names are case sensitive', () => {
    expect(problemOf(checkEvent(base({ eventName: 'signin', data: { userId: 'a' } })))?.field).toBe('eventName');
  });

  it('rejects SignIn without userId or email, naming data.userId', () => {
    expect(problemOf(checkEvent(base({ eventName: 'SignIn' })))?.field).toBe('data.userId');
    expect(problemOf(checkEvent(base({ eventName: 'SignIn', data: {} })))?.field).toBe('data.userId');
    expect(problemOf(checkEvent(base({ eventName: 'SignIn', data: { userId: '', email: '  ' } })))?.field).toBe('data.userId');
    expect(problemOf(checkEvent(base({ eventName: 'SignIn', data: { userId: 12, firstName: 'Ann' } })))?.field).toBe('data.userId');
  });

  it('accepts SignIn with userId or with email alone', () => {
    expect(checkEvent(base({ eventName: 'SignIn', data: { userId: 'ann' } })).ok).toBe(true);
    expect(checkEvent(base({ eventName: 'SignIn', data: { email: 'ann@shop.test' } })).ok).toBe(true);
  });

  it('rejects UserInfo without userId (email is not enough)', () => {
    expect(problemOf(checkEvent(base({ eventName: 'UserInfo' })))?.field).toBe('data.userId');
    expect(problemOf(checkEvent(base({ eventName: 'UserInfo', data: { email: 'ann@shop.test' } })))?.field).toBe('data.userId');
    expect(problemOf(checkEvent(base({ eventName: 'UserInfo', data: { userId: ' ' } })))?.field).toBe('data.userId');
  });

  it('SignOut needs no field', () => {
    expect(checkEvent(base({ eventName: 'SignOut' })).ok).toBe(true);
  });

  it('rejects PageEntered and PageExited without pageID', () => {
    expect(problemOf(checkEvent(without('pageID', { eventName: 'PageEntered' })))?.field).toBe('pageID');
    expect(problemOf(checkEvent(without('pageID', { eventName: 'PageExited' })))?.field).toBe('pageID');
    expect(checkEvent(without('pageID', { eventName: 'VisitStarted' })).ok).toBe(true);
  });
});

describe('checkEvent: unsafe keys and depth', () => {
  const json = (extra: string) => JSON.stringify(base()).replace(/^\{/, `{${extra},`);

  it('rejects __proto__, constructor and prototype at top level', () => {
    expect(problemOf(checkEvent(fromJson(json('"__proto__":{"polluted":true}'))))?.field).toBe('__proto__');
    expect(problemOf(checkEvent(base({ constructor: 'x' })))?.field).toBe('constructor');
    expect(problemOf(checkEvent(base({ prototype: {} })))?.field).toBe('prototype');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects constructor and prototype keys in data, naming the path', () => {
    expect(problemOf(checkEvent(base({ data: { constructor: { prototype: 1 } } })))?.field).toBe('data.constructor');
    expect(problemOf(checkEvent(base({ data: { prototype: 1 } })))?.field).toBe('data.prototype');
    expect(problemOf(checkEvent(base({ data: { a: { b: { constructor: 1 } } } })))?.field).toBe('data.a.b.constructor');
    expect(problemOf(checkEvent(base({ data: { list: [{ ok: 1 }, { constructor: 1 }] } })))?.field).toBe('data.list[1].constructor');
  });

  it('rejects __proto__ nested inside data, naming the path', () => {
    const p = problemOf(checkEvent(fromJson(json('"data":{"cart":{"__proto__":{"isAdmin":true}}}'))));
    expect(p?.field).toBe('data.cart.__proto__');
  });

  it('rejects __proto__ directly in data, naming data.__proto__', () => {
    // docs/identification.md: keys such as __proto__ are rejected with the field named.
    const r = checkEvent(fromJson(json('"data":{"__proto__":{"isAdmin":true},"k":1}')));
    expect(problemOf(r)?.field).toBe('data.__proto__');
  });

  it('an own __proto__ key in data never reaches the data prototype', () => {
    const r = checkEvent(fromJson(json('"eventName":"SignIn","data":{"__proto__":{"userId":"admin"}}').replace('"eventName":"VisitStarted",', '')));
    expect(r.ok).toBe(false);
    if (r.ok) expect((r.event.data as Record<string, unknown>).userId).toBeUndefined();
  });

  it(`accepts data nested ${LIMITS.dataDepth} levels deep and rejects ${LIMITS.dataDepth + 1}`, () => {
    expect(LIMITS.dataDepth).toBe(16);
    expect(checkEvent(base({ data: nested(16) })).ok).toBe(true);
    const p = problemOf(checkEvent(base({ data: nested(17) })));
    expect(p?.field).toBe('data' + '.a'.repeat(16));
    expect(p?.reason).toContain('16');
    const deeper = problemOf(checkEvent(base({ data: nested(40) })));
    expect(deeper?.field).toBe('data' + '.a'.repeat(16));
  });

  it('counts arrays as levels too', () => {
    let inner: unknown = 'leaf';
    for (let i = 1; i < 17; i++) inner = [inner];
    expect(problemOf(checkEvent(base({ data: { x: inner } })))?.field).toBe('data.x' + '[0]'.repeat(15));
  });

  it(`rejects data with more than ${LIMITS.dataKeys} keys in one object`, () => {
    const many: Record<string, number> = {};
    for (let i = 0; i <= LIMITS.dataKeys; i++) many[`k${i}`] = i;
    expect(problemOf(checkEvent(base({ data: { many } })))?.field).toBe('data.many');
  });
});

describe('checkEvent: not an object', () => {
  for (const input of [null, undefined, 'event', 42, true, [], [base()]]) {
    it(`rejects ${JSON.stringify(input) ?? 'undefined'}`.slice(0, 60), () => {
      expect(checkEvent(input)).toEqual({ ok: false, problem: { field: 'event', reason: 'must be a JSON object' } });
    });
  }
});

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

  it('other events carry no identity', () => {
    expect(identityIdOf({ eventName: 'SignOut', data: { userId: 'ann' } })).toBeNull();
    expect(identityIdOf({ eventName: 'PageEntered', data: { userId: 'ann' } })).toBeNull();
  });
});

describe('checkEvent: identifiers that become identityIds', () => {
  const signInWith = (data: Record<string, unknown>) => checkEvent(base({ eventName: 'SignIn', data }));
  const userInfoWith = (data: Record<string, unknown>) => checkEvent(base({ eventName: 'UserInfo', data }));

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

  it('rejects a whitespace-only userId', () => {
    for (const blank of [' ', '   ', '\t', ' \n ']) {
      expect(problemOf(signInWith({ userId: blank }))?.field, JSON.stringify(blank)).toBe('data.userId');
      expect(problemOf(userInfoWith({ userId: blank }))?.field, JSON.stringify(blank)).toBe('data.userId');
    }
    expect(problemOf(signInWith({ email: '  ' }))?.field).toBe('data.userId');
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
