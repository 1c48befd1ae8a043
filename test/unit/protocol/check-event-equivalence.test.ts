// The hand-written event check (protocol/events.ts) against the zod schema it replaced
// (./zod-reference.ts): for every input, the same verdict, the same field named, the same
// reason, and the same event out. Inputs: the fuzz test's valid and broken events, and events
// whose every field is drawn from a pool of awkward values of every type.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkEvent, LIMITS, SYSTEM_EVENT_NAMES } from '../../../protocol';
import { LONE } from '../../helpers/fuzz';
import { badEvent, goodEvent } from '../../helpers/fuzz-bodies';
import { zodCheckEvent } from './zod-reference';

const FIELDS = ['eventType', 'eventName', 'eventID', 'pageID', 'timestamp', 'category', 'url', 'languageCode', 'globalVisitID', 'visitID', 'sessionID', 'data'];
const FORBIDDEN = ['__proto__', 'constructor', 'prototype'];

/** Strings on each side of every rule: blank, trimmed to `__proto__`, lone surrogates, limits. */
const edgeString = fc.oneof(
  fc.constantFrom('', ' ', '\t\n', '\u00a0', '\ufeff', '__proto__', ' __proto__ ', 'constructor', 'SYSTEM', 'BUSINESS', 'system', ...SYSTEM_EVENT_NAMES, ` ${SYSTEM_EVENT_NAMES[1]} `, ...LONE, ` ${LONE[0]} `),
  fc.constantFrom(LIMITS.idLength, LIMITS.idLength + 1, LIMITS.nameLength + 1, 64, 65, LIMITS.textLength, LIMITS.textLength + 1).chain((n) =>
    fc.constantFrom('x'.repeat(n), ' '.repeat(n), `${' '.repeat(n - 2)}ab`, `${LONE[0]}${'x'.repeat(n - 1)}`),
  ),
  fc.string({ unit: 'binary', maxLength: 12 }),
);
const edgeNumber = fc.oneof(fc.constantFrom(0, -0, -1, 1.5, Number.NaN, Infinity, -Infinity, Number.MAX_VALUE, -Number.MIN_VALUE), fc.double());
const value = fc.oneof(edgeString, edgeNumber, fc.boolean(), fc.constant(null), fc.constant(undefined), fc.anything({ maxDepth: 3 }), fc.constant([]), fc.constant({}));
const identifiers = fc.record({ userId: value, email: value, firstName: value }, { requiredKeys: [] });
const dataValue = fc.oneof(value, identifiers, fc.dictionary(fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom(...FORBIDDEN)), value, { maxKeys: 4 }));

/** Each field left out or set to an awkward value, sometimes with an extra (or a prototype) key. */
const wildEvent = fc
  .tuple(
    fc.record(Object.fromEntries(FIELDS.map((f) => [f, f === 'data' ? dataValue : value])), { requiredKeys: [] }),
    fc.record({ eventType: fc.constantFrom('SYSTEM', 'BUSINESS'), eventName: fc.constantFrom(...SYSTEM_EVENT_NAMES, 'AddToCart') }),
    fc.option(fc.tuple(fc.oneof(fc.constantFrom(...FORBIDDEN), fc.string({ maxLength: 6 })), value), { nil: undefined }),
    fc.boolean(),
  )
  .map(([fields, names, extra, namesValid]) => {
    const ev: Record<string, unknown> = namesValid ? { ...fields, ...names } : fields;
    // As JSON.parse makes it: `__proto__` an own key.
    if (extra) Object.defineProperty(ev, extra[0], { value: extra[1], enumerable: true, configurable: true, writable: true });
    return ev;
  });

/** Mostly valid events with one field replaced: reaches the checks after the first field. */
const nearlyValid = fc.tuple(goodEvent(), fc.constantFrom(...FIELDS), dataValue).map(([ev, field, v]) => ({ ...ev, [field]: v }));

function same(input: unknown): void {
  expect(checkEvent(input)).toEqual(zodCheckEvent(input));
}

describe('checkEvent agrees with the zod schema it replaced', () => {
  it('on the fuzz test\'s valid and broken events', () => {
    fc.assert(fc.property(fc.oneof(goodEvent(), goodEvent(true), badEvent().map((b) => b.item), badEvent(true).map((b) => b.item)), same), { seed: 9, numRuns: 3000 });
  });

  it('on events whose every field is an awkward value of any type', () => {
    fc.assert(fc.property(wildEvent, same), { seed: 9, numRuns: 5000 });
  });

  it('on valid events with one field replaced', () => {
    fc.assert(fc.property(nearlyValid, same), { seed: 9, numRuns: 5000 });
  });

  it('on values that are not objects, and on objects that are not plain', () => {
    for (const v of [null, undefined, 0, 'x', true, [], [{}], () => 1, new Date(0), new Map(), Object.create(null)]) same(v);
    const ev = { eventType: 'BUSINESS', eventName: 'x', eventID: 'e', timestamp: 1, globalVisitID: 'g', visitID: 'v' };
    for (const v of [new Date(0), new Map(), Object.create(null), Object.assign(Object.create({ inherited: 1 }), { own: 1 })]) {
      same({ ...ev, eventID: v });
      same({ ...ev, timestamp: v });
    }
  });
});
