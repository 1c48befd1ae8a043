// protocol/event-names.ts: what every layer knows about an event name, from one place.
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../extension/tracker/commands';
import { IDENTIFIERS, identityTransitionOf, isIdentityEvent, namedIdentifier, SYSTEM_EVENT_NAMES, systemEvent, TRACKER_ONLY, TRANSITIONS } from '../../../protocol/event-names';
import { missingIdentifier } from '../../../protocol/identifiers';
import { SYSTEM_EVENT_NAMES as CHECKED_NAMES } from '../../../protocol/events';

describe('event names', () => {
  it("GWE's six system events, the same the companion checks against", () => {
    expect([...SYSTEM_EVENT_NAMES].sort()).toEqual([...CHECKED_NAMES].sort());
    expect(SYSTEM_EVENT_NAMES.filter((n) => systemEvent(n)!.trackerOnly)).toEqual(['VisitStarted', 'PageEntered', 'PageExited']);
    for (const n of SYSTEM_EVENT_NAMES) expect(systemEvent(n)!.label).not.toBe('');
  });

  it('identity transitions: SignIn opens a session, SignOut closes it, UserInfo recognises; nothing else', () => {
    expect(SYSTEM_EVENT_NAMES.filter(isIdentityEvent)).toEqual(['SignIn', 'SignOut', 'UserInfo']);
    expect(systemEvent('SignIn')!.transition).toBe('session-open');
    expect(systemEvent('SignOut')!.transition).toBe('session-close');
    expect(systemEvent('UserInfo')!.transition).toBe('recognise');
    // A business event may carry any name: one called SignIn changes nobody.
    expect(identityTransitionOf({ eventType: 'BUSINESS', eventName: 'SignIn' })).toBeUndefined();
    expect(identityTransitionOf({ eventType: 'SYSTEM', eventName: 'UserInfo' })).toBe('UserInfo');
    for (const n of ['toString', 'constructor', '__proto__', 'AddToCart']) {
      expect(systemEvent(n)).toBeUndefined();
      expect(isIdentityEvent(n)).toBe(false);
    }
  });

  it('the identifier an event names: SignIn userId else email, UserInfo userId only, trimmed', () => {
    expect(namedIdentifier('SignIn', { userId: ' u1 ', email: 'a@b.c' })).toBe('u1');
    expect(namedIdentifier('SignIn', { userId: '  ', email: 'a@b.c' })).toBe('a@b.c');
    expect(namedIdentifier('UserInfo', { email: 'a@b.c' })).toBeUndefined();
    expect(namedIdentifier('SignOut', { userId: 'u1' })).toBeUndefined();
    expect(namedIdentifier('SignIn', undefined)).toBeUndefined();
  });
});

describe('the tracker reads the same columns (commands.ts, identifiers.ts)', () => {
  it('tracker-only names are refused, each identity event and its send alias is SYSTEM, its identifiers are required', () => {
    for (const n of TRACKER_ONLY) expect(parseCommand(['event', n])).toMatchObject({ kind: 'rejected' });
    for (const n of SYSTEM_EVENT_NAMES.filter((name) => TRANSITIONS[name])) {
      expect(parseCommand(['event', n, { data: { userId: 'u1' } }])).toMatchObject({ kind: 'event', eventType: 'SYSTEM', eventName: n });
      expect(parseCommand([`send${n}`, { userId: 'u1' }])).toMatchObject({ kind: 'event', eventType: 'SYSTEM', eventName: n });
      expect(missingIdentifier(n, {})).toEqual(IDENTIFIERS[n] ? [...IDENTIFIERS[n]!] : null);
    }
    // An alias of no identity event is a business event's name.
    expect(parseCommand(['event', 'sendtoString'])).toMatchObject({ kind: 'event', eventType: 'BUSINESS', eventName: 'sendtoString' });
  });
});
