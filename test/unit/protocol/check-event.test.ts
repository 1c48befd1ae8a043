// The event schema of contract section 2: valid events, required and ill-typed fields, the
// rules of SYSTEM events, and inputs that are not an object.
import { describe, expect, it } from 'vitest';
import { checkEvent, LIMITS, SYSTEM_EVENT_NAMES } from '../../../protocol';
import { base, problemOf, without } from './helpers';

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

  it('keeps ids exactly as sent (two ids differing in spaces are two ids) and trims the event name', () => {
    const r = checkEvent(base({ eventID: '  e-7 ', eventName: ' PageEntered ', visitID: ' v ', globalVisitID: 'g ' }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.event.eventID).toBe('  e-7 ');
    expect(r.event.eventName).toBe('PageEntered');
    expect(r.event.visitID).toBe(' v ');
    expect(r.event.globalVisitID).toBe('g ');
    const blank = checkEvent(base({ eventID: ' \t ' }));
    expect(blank.ok).toBe(false);
    if (!blank.ok) expect(blank.problem.field).toBe('eventID');
  });
  it('leaves its input as it was (the extension logs the event as the page sent it)', () => {
    const input = base({ eventName: ' PageEntered ', extra: 1, data: { sku: 'A1', list: [1, { a: 2 }] } });
    const before = structuredClone(input);
    const r = checkEvent(input);
    expect(r.ok && r.event.eventName).toBe('PageEntered');
    expect(input).toEqual(before);
    expect(Object.keys(input)).toEqual(Object.keys(before));
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
    ['timestamp', 1e300],
    ['timestamp', 2 ** 63],
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

  it('accepts a timestamp far ahead while GWE could store it (a 64-bit integer), and says why above', () => {
    // Year 33658 and the largest double below 2^63: GWE would store both; the engine clamps them.
    expect(checkEvent(base({ timestamp: 1e15 })).ok).toBe(true);
    expect(checkEvent(base({ timestamp: 2 ** 63 - 1024 })).ok).toBe(true);
    const p = problemOf(checkEvent(base({ timestamp: 1e300 })));
    expect(p).toEqual({ field: 'timestamp', reason: expect.stringContaining('2^63') });
  });
});

describe('checkEvent: SYSTEM event rules', () => {
  /** The warnings of an accepted event (the check fails when it was rejected). */
  const warningsOf = (input: unknown) => {
    const r = checkEvent(input);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    return r.ok ? (r.warnings ?? []) : [];
  };

  it('stores a SYSTEM name GWE does not know, with a warning naming eventName', () => {
    const w = warningsOf(base({ eventName: 'PageReloaded' }));
    expect(w).toHaveLength(1);
    expect(w[0].field).toBe('eventName');
    expect(w[0].reason).toContain('"PageReloaded" is not one of GWE\'s SYSTEM events');
  });

  it('SYSTEM names are case sensitive: "signin" is stored with a warning, and is no SignIn', () => {
    expect(warningsOf(base({ eventName: 'signin', data: { userId: 'a' } })).map((w) => w.field)).toEqual(['eventName']);
  });

  it('stores a SignIn without userId or email, with a warning naming data.userId', () => {
    for (const data of [undefined, {}, { userId: '', email: '  ' }, { userId: 12, firstName: 'Ann' }]) {
      const w = warningsOf(base({ eventName: 'SignIn', data }));
      expect(w.map((x) => x.field), JSON.stringify(data)).toEqual(['data.userId']);
      expect(w[0].reason).toContain('SignIn without data.userId or data.email');
      expect(w[0].reason).toContain('identifies no one');
    }
  });

  it('accepts SignIn with userId or with email alone, with no warning', () => {
    expect(checkEvent(base({ eventName: 'SignIn', data: { userId: 'ann' } }))).not.toHaveProperty('warnings');
    expect(checkEvent(base({ eventName: 'SignIn', data: { email: 'ann@shop.test' } }))).not.toHaveProperty('warnings');
  });

  it('stores a UserInfo without userId with a warning (an email alone is stored, and says why it is not enough)', () => {
    expect(warningsOf(base({ eventName: 'UserInfo' })).map((w) => w.field)).toEqual(['data.userId']);
    expect(warningsOf(base({ eventName: 'UserInfo', data: { userId: ' ' } })).map((w) => w.field)).toEqual(['data.userId']);
    const emailOnly = warningsOf(base({ eventName: 'UserInfo', data: { email: 'ann@shop.test' } }));
    expect(emailOnly[0].reason).toContain('data.email does not identify a UserInfo');
  });

  it('still rejects an identifier that cannot be an identityId', () => {
    expect(problemOf(checkEvent(base({ eventName: 'UserInfo', data: { userId: '__proto__' } })))?.field).toBe('data.userId');
    expect(problemOf(checkEvent(base({ eventName: 'SignIn', data: { email: ' __proto__ ' } })))?.field).toBe('data.email');
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

describe('checkEvent: GWE clients\' spellings and VisitStarted\'s timezoneOffset', () => {
  it('reads sessionId as sessionID (stored under sessionID), and sessionID wins when both are sent', () => {
    const r = checkEvent({ ...base({ eventName: 'SignOut' }), sessionId: 's-9' });
    expect(r.ok && r.event.sessionID).toBe('s-9');
    expect(r.ok && 'sessionId' in r.event).toBe(false);
    const both = checkEvent({ ...base({ eventName: 'SignOut', sessionID: 's-1' }), sessionId: 's-9' });
    expect(both.ok && both.event.sessionID).toBe('s-1');
  });

  it('names sessionId when it is what was sent and it is no id', () => {
    expect(problemOf(checkEvent({ ...base({ eventName: 'SignOut' }), sessionId: ' ' }))?.field).toBe('sessionId');
  });

  it('keeps timezoneOffset (a number), and names it when it is not one', () => {
    const r = checkEvent(base({ eventName: 'VisitStarted', timezoneOffset: -120 }));
    expect(r.ok && r.event.timezoneOffset).toBe(-120);
    for (const bad of ['-120', null, Number.NaN, Infinity]) {
      expect(problemOf(checkEvent(base({ eventName: 'VisitStarted', timezoneOffset: bad })))?.field, String(bad)).toBe('timezoneOffset');
    }
  });
});

describe('checkEvent: not an object', () => {
  for (const input of [null, undefined, 'event', 42, true, [], [base()]]) {
    it(`rejects ${JSON.stringify(input) ?? 'undefined'}`.slice(0, 60), () => {
      expect(checkEvent(input)).toEqual({ ok: false, problem: { field: 'event', reason: 'must be a JSON object' } });
    });
  }
});
