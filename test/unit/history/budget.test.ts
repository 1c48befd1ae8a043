// The History response bound (companion/server/history/budget.ts): JSON written piece by piece
// is the same text JSON.stringify gives, and writing stops as soon as the bound is passed.
import { describe, expect, it } from 'vitest';
import { Budget, DEFAULT_MAX_RESPONSE_CHARS, Json, maxResponseChars, MAX_RESPONSE_ENV, Overflow } from '../../../companion/server/history/budget';

function overflow(fn: () => unknown): Overflow {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(Overflow);
    return e as Overflow;
  }
  throw new Error('expected the bound to be passed');
}

describe('writing JSON within a budget', () => {
  it('gives the text JSON.stringify gives: key order kept, undefined fields left out', () => {
    const b = new Budget(1e6);
    const event = { eventID: 'e"1', data: { k: [1, null, 'ü'] } };
    const text = b.object<Record<string, unknown>>({
      z: 1,
      a: 'x\n',
      gone: undefined,
      nothing: null,
      list: b.list(null, ['p', 'q'], (id) => b.json(id)),
      empty: b.list(null, [], (id: string) => b.json(id)),
      events: b.list(null, [event], (e) => b.json(e)),
      nested: b.object<Record<string, unknown>>({ inner: new Json('[]') }),
    }).text;
    expect(text).toBe(JSON.stringify({ z: 1, a: 'x\n', gone: undefined, nothing: null, list: ['p', 'q'], empty: [], events: [event], nested: { inner: [] } }));
  });

  it('a list that passes the bound is not read to its end', () => {
    let pulled = 0;
    function* many() {
      for (let i = 0; i < 1_000_000; i++) {
        pulled++;
        yield 'x'.repeat(98); // 100 characters once quoted
      }
    }
    const b = new Budget(10_000);
    overflow(() => b.list('include_events', many(), (s) => b.json(s)));
    // 10,000 characters hold 99 such items with their commas: the 100th passes the bound.
    expect(pulled).toBe(100);
  });

  it('a list that cannot fit, given the fewest characters an item takes, is refused before any item is written', () => {
    let written = 0;
    const ids = Array.from({ length: 1_000_000 }, (_, i) => `id${i}`);
    const b = new Budget(100_000);
    const o = overflow(() => b.list('include_events', ids, (id) => (written++, b.json(id)), 3));
    expect(written).toBe(0);
    expect(o.flags).toEqual(['include_events']);
    // The estimate is a floor: a list of exactly that size is written.
    const write = (max: number) => {
      const bb = new Budget(max);
      return bb.list(null, ['abc', 'def'], (s) => (written++, bb.json(s)), 5).text;
    };
    expect(write(13)).toBe('["abc","def"]');
    expect(written).toBe(2);
    overflow(() => write(12));
    expect(written).toBe(2);
  });

  it('id lists, written a chunk at a time, are JSON.stringify\'s text and charged exactly', () => {
    for (const n of [0, 1, 1023, 1024, 1025, 3000]) {
      const ids = Array.from({ length: n }, (_, i) => `id-${i}"\\ü`);
      const text = JSON.stringify(ids);
      const gen = function* () {
        yield* ids;
      };
      expect(new Budget(text.length).strings('include_events', ids).text).toBe(text);
      expect(new Budget(text.length).strings('include_events', gen()).text).toBe(text);
      const o = overflow(() => new Budget(text.length - 1).strings('include_events', gen()));
      expect(o.flags).toEqual(['include_events']);
    }
  });

  it('an id list past the bound stops within a chunk of it', () => {
    let pulled = 0;
    function* many() {
      for (let i = 0; i < 1_000_000; i++) yield (pulled++, `id${i}`);
    }
    overflow(() => new Budget(10_000).strings(null, many()));
    expect(pulled).toBeLessThanOrEqual(2 * 1024);
  });

  it('names the include flags whose lists were being written, outermost first', () => {
    const b = new Budget(1000);
    const o = overflow(() =>
      b.list(null, [1, 2], () => b.list('include_visits_detail', [1], () => b.list('include_events_detail', ['y'.repeat(2000)], (s) => b.json(s)))),
    );
    expect(o.flags).toEqual(['include_visits_detail', 'include_events_detail']);
    const top = overflow(() => new Budget(10).list(null, ['a'.repeat(20)], (s) => new Budget(10).json(s)));
    expect(top.flags).toEqual([]);
  });

  it('an answer just within the bound is written; one character more is not', () => {
    const text = JSON.stringify({ ids: ['abc', 'de'], n: 7 });
    const write = (b: Budget) => b.object<Record<string, unknown>>({ ids: b.list(null, ['abc', 'de'], (s) => b.json(s)), n: 7 }).text;
    expect(write(new Budget(text.length))).toBe(text);
    overflow(() => write(new Budget(text.length - 1)));
  });
});

describe('the bound', () => {
  it(`is ${DEFAULT_MAX_RESPONSE_CHARS} characters (8 Mi) unless ${MAX_RESPONSE_ENV} says otherwise`, () => {
    expect(DEFAULT_MAX_RESPONSE_CHARS).toBe(8 * 1024 * 1024);
    expect(maxResponseChars({})).toBe(DEFAULT_MAX_RESPONSE_CHARS);
    expect(maxResponseChars({ [MAX_RESPONSE_ENV]: '' })).toBe(DEFAULT_MAX_RESPONSE_CHARS);
    expect(maxResponseChars({ [MAX_RESPONSE_ENV]: '200000' })).toBe(200_000);
    expect(maxResponseChars({ [MAX_RESPONSE_ENV]: '1024' })).toBe(1024);
  });

  it.each(['1023', '0', '-5', '1e6', '12.5', 'lots', ' 2000', '99999999999999999999'])('%s is refused with a message naming the variable', (raw) => {
    expect(() => maxResponseChars({ [MAX_RESPONSE_ENV]: raw })).toThrow(new RegExp(`^${MAX_RESPONSE_ENV}=.*whole number of characters, 1024 or more`));
  });
});
