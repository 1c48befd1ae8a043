// As strict as GWE, no stricter (contract section 1): commands GWE's tracker would send are sent,
// with a warning in the capture record where GWE could not use them, never rejected.
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../extension/tracker/commands';

describe('parseCommand: what GWE would send is taken, with a warning', () => {
  it.each([
    [['event', 'SignIn', { data: {} }], 'SignIn', {}, /SignIn without userId or email: sent, but it identifies no one/],
    [['event', 'SignIn', { data: { userId: '  ' } }], 'SignIn', { userId: '  ' }, /identifies no one/],
    [['sendSignIn', {}], 'SignIn', {}, /SignIn without userId or email/],
    [['event', 'UserInfo', { data: { email: 'a@b.c' } }], 'UserInfo', { email: 'a@b.c' }, /UserInfo without userId/],
  ])('%j: a SYSTEM event naming no one', (command, eventName, data, warning) => {
    expect(parseCommand(command)).toMatchObject({ kind: 'event', eventType: 'SYSTEM', eventName, data, warning: expect.stringMatching(warning) });
  });

  it("['event', 'AddToCart', {productName}] without the data wrapper: the options are the data", () => {
    expect(parseCommand(['event', 'AddToCart', { productName: 'Lamp', qty: 2 }])).toMatchObject({
      kind: 'event',
      eventType: 'BUSINESS',
      eventName: 'AddToCart',
      data: { productName: 'Lamp', qty: 2 },
      warning: expect.stringMatching(/no \{ data: \.\.\. \} wrapper/),
    });
    // An identity event the same way: a SignIn with its fields unwrapped identifies the person.
    const signIn = parseCommand(['event', 'SignIn', { userId: 'u1' }]);
    expect(signIn).toMatchObject({ kind: 'event', eventType: 'SYSTEM', eventName: 'SignIn', data: { userId: 'u1' } });
  });

  it('options beside data are ignored and named', () => {
    expect(parseCommand(['event', 'X', { data: { a: 1 }, when: 'now' }])).toMatchObject({ kind: 'event', data: { a: 1 }, warning: 'ignored beside data: when' });
  });

  it('a well-formed command carries no warning', () => {
    expect(parseCommand(['event', 'SignIn', { data: { email: 'a@b.c' } }])).not.toHaveProperty('warning');
    expect(parseCommand(['event', 'AddToCart', { data: { sku: 1 } }])).not.toHaveProperty('warning');
  });
});
