import { describe, expect, it } from 'vitest';
import { describeValue, parseCommand } from '../../../extension/tracker/commands';

const event = (eventType: string, eventName: string, data: object = {}) =>
  expect.objectContaining({ kind: 'event', eventType, eventName, data });

describe('parseCommand: the 8.5 forms', () => {
  it.each([
    [['event', 'SignIn', { data: { userId: 'u1' } }], 'SignIn', { userId: 'u1' }],
    [['event', 'sendSignIn', { email: 'a@b.c' }], 'SignIn', { email: 'a@b.c' }],
    [['event', 'SignOut', { data: {} }], 'SignOut', {}],
    [['event', 'SignOut'], 'SignOut', {}],
    [['event', 'sendSignOut', {}], 'SignOut', {}],
    [['event', 'UserInfo', { data: { userId: 'u1' } }], 'UserInfo', { userId: 'u1' }],
    [['event', 'sendUserInfo', { userId: 'u1', firstName: 'Ann' }], 'UserInfo', { userId: 'u1', firstName: 'Ann' }],
  ])('%j is the SYSTEM event %s', (command, name, data) => {
    expect(parseCommand(command)).toEqual(event('SYSTEM', name, data));
  });

  it('an event named like an Object.prototype member is a business event', () => {
    for (const name of ['toString', 'constructor', 'valueOf', 'hasOwnProperty']) {
      expect(parseCommand(['event', name])).toEqual(event('BUSINESS', name, {}));
      expect(parseCommand(['event', { eventName: name }])).toEqual(event('BUSINESS', name, {}));
    }
  });

  it('business events, with and without data', () => {
    expect(parseCommand(['event', 'AddToCart'])).toEqual(event('BUSINESS', 'AddToCart', {}));
    expect(parseCommand(['event', 'AddToCart', { data: { sku: 1 } }])).toEqual(event('BUSINESS', 'AddToCart', { sku: 1 }));
  });
});

describe('parseCommand: the legacy 8.1 forms', () => {
  it('sendSignIn, sendSignOut, sendUserInfo as commands', () => {
    expect(parseCommand(['sendSignIn', { userId: 'u1' }])).toEqual(event('SYSTEM', 'SignIn', { userId: 'u1' }));
    expect(parseCommand(['sendSignOut', {}])).toEqual(event('SYSTEM', 'SignOut', {}));
    expect(parseCommand(['sendSignOut'])).toEqual(event('SYSTEM', 'SignOut', {}));
    expect(parseCommand(['sendUserInfo', { userId: 'u1' }])).toEqual(event('SYSTEM', 'UserInfo', { userId: 'u1' }));
  });
  it('an event object with eventName: the other keys are the data', () => {
    expect(parseCommand(['event', { eventName: 'AddToCart', sku: '42', qty: 2 }])).toEqual(
      event('BUSINESS', 'AddToCart', { sku: '42', qty: 2 }),
    );
  });
  it('names the form each command matched', () => {
    expect(parseCommand(['sendSignIn', { userId: 'u' }])).toMatchObject({ form: "8.1 ['sendSignIn', options]" });
    expect(parseCommand(['event', 'SignIn', { data: { userId: 'u' } }])).toMatchObject({ form: "8.5 ['event', 'SignIn', {data}]" });
  });
});

describe('parseCommand: config and getIDs', () => {
  it('config keeps the known options', () => {
    const cmd = parseCommand(['config', { httpEndpoint: 'http://h:9081', languageCode: 'fr', debug: 1, other: 2 }]);
    expect(cmd).toEqual({ kind: 'config', form: "['config', options]", config: { httpEndpoint: 'http://h:9081', languageCode: 'fr', debug: true } });
  });
  it('getIDs takes a callback', () => {
    const cb = () => undefined;
    expect(parseCommand(['getIDs', cb])).toMatchObject({ kind: 'getIDs', callback: cb });
  });
});

describe('parseCommand: what it rejects, and why', () => {
  it.each([
    ['not-an-array', /must be an array/],
    [null, /must be an array.*null/],
    [{ 0: 'event' }, /must be an array/],
    [[], /command name/],
    [[42], /command name/],
    [['noSuchCommand'], /unknown command "noSuchCommand"/],
    [['Event', 'x'], /unknown command "Event"/], // case sensitive
    [['event'], /event name/],
    [['event', ''], /event name/],
    [['event', 'AddToCart', 'oops'], /options object/],
    [['event', 'AddToCart', { data: [1, 2] }], /data must be an object/],
    [['event', 'PageEntered'], /sent by the tracker itself/],
    [['event', { sku: 1 }], /needs eventName/],
    [['config'], /config needs an options object/],
    [['config', { httpEndpoint: 5 }], /httpEndpoint must be a string/],
    [['getIDs'], /getIDs needs a callback/],
    [['event', 'x'.repeat(300)], /longer than 256/],
  ])('%j', (command, reason) => {
    const cmd = parseCommand(command);
    expect(cmd.kind).toBe('rejected');
    expect(cmd.kind === 'rejected' && cmd.reason).toMatch(reason);
  });

  it('data that JSON cannot carry (a cycle) is rejected, not thrown', () => {
    const data: Record<string, unknown> = {};
    data.self = data;
    expect(parseCommand(['event', 'X', { data }])).toMatchObject({ kind: 'rejected', reason: expect.stringMatching(/cannot be sent as JSON/) });
  });
  it('a getter that throws is rejected, not thrown', () => {
    const data = Object.defineProperty({}, 'boom', { enumerable: true, get: () => { throw new Error('no'); } });
    expect(parseCommand(['event', 'X', { data }]).kind).toBe('rejected');
  });
});

describe('describeValue: a JSON-safe copy of the command for the capture log', () => {
  it('names functions, cycles and undefined; keeps a __proto__ key as a plain key', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.me = cyclic;
    function myCallback() {}
    const polluted = JSON.parse('{"__proto__": {"x": 1}}');
    const out = describeValue(['getIDs', myCallback, cyclic, undefined, polluted]) as unknown[];
    expect(out.slice(0, 4)).toEqual(['getIDs', 'ƒ myCallback()', { a: 1, me: '(circular)' }, '(undefined)']);
    expect(Object.getPrototypeOf(out[4])).toBe(Object.prototype);
    expect(JSON.stringify(out[4])).toBe('{"__proto__":{"x":1}}');
  });
  it('cuts deep nesting and long strings', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 20; i++) deep = [deep];
    expect(JSON.stringify(describeValue(deep))).toContain('(…)');
    expect((describeValue('x'.repeat(5000)) as string).length).toBeLessThan(2100);
  });
});
