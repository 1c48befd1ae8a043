// Lazy paging over the stored id lists (companion/server/history/paging.ts): a page touches
// only its own items, the one after it, and what the filter skips, never the whole list.
import { describe, expect, it } from 'vitest';
import { HttpError } from '../../../companion/server/errors';
import { arraySource, nestedSource, pageOf, SCAN_LIMIT, type Source } from '../../../companion/server/history/paging';

interface Item {
  id: string;
  n: number;
}
const idOf = (i: Item) => i.id;
const all = () => true;

/** A list of `n` items whose reads are counted: `touched()` is how many the pager looked at. */
function counted(n: number): { ids: string[]; get: (id: string) => Item; touched: () => number; reset: () => void } {
  const ids = Array.from({ length: n }, (_, i) => `e${i}`);
  let reads = 0;
  return {
    ids,
    get: (id) => (reads++, { id, n: Number(id.slice(1)) }),
    touched: () => reads,
    reset: () => (reads = 0),
  };
}

function walkAll<T>(source: Source<T>, keep: (t: T) => boolean, id: (t: T) => string, size: number): T[][] {
  const pages: T[][] = [];
  let key: string | undefined;
  for (;;) {
    const p = pageOf(source, keep, id, size, key);
    pages.push(p.items);
    if (p.next === null) return pages;
    key = p.next;
  }
}

describe('a page reads only what it gives', () => {
  it('the first page touches page_size + 1 items of 100,000', () => {
    const list = counted(100_000);
    const p = pageOf(arraySource(list.ids, list.get), all, idOf, 50, undefined);
    expect(p.items.map((i) => i.n)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(p.next).not.toBeNull();
    expect(list.touched()).toBe(51);
  });

  it('a page deep in the list touches page_size + 2 (the key check, the page, one more)', () => {
    const list = counted(100_000);
    const source = arraySource(list.ids, list.get);
    let key: string | undefined;
    for (let i = 0; i < 3; i++) key = pageOf(source, all, idOf, 1000, key).next!;
    // A key from the middle of the list, found at its recorded position.
    list.reset();
    const p = pageOf(source, all, idOf, 10, key);
    expect(p.items.map((i) => i.n)).toEqual(Array.from({ length: 10 }, (_, i) => 3000 + i));
    expect(list.touched()).toBe(12);
  });

  it('a filter costs what it skips, no more', () => {
    const list = counted(100_000);
    const everyTenth = (i: Item) => i.n % 10 === 0;
    const p = pageOf(arraySource(list.ids, list.get), everyTenth, idOf, 5, undefined);
    expect(p.items.map((i) => i.n)).toEqual([0, 10, 20, 30, 40]);
    // Items 0..50: the page's five, the nine skipped after each, and 50 to know a next page exists.
    expect(list.touched()).toBe(51);
  });

  it('the last page touches only the rest', () => {
    const list = counted(1000);
    const source = arraySource(list.ids, list.get);
    const p1 = pageOf(source, all, idOf, 995, undefined);
    list.reset();
    const p2 = pageOf(source, all, idOf, 10, p1.next!);
    expect(p2.items.map((i) => i.n)).toEqual([995, 996, 997, 998, 999]);
    expect(p2.next).toBeNull();
    expect(list.touched()).toBe(1 + 5);
  });

  it('a nested list (an identity\'s visits\' events) reads lazily too', () => {
    const visits = Array.from({ length: 1000 }, (_, v) => Array.from({ length: 100 }, (_, e) => `e${v * 100 + e}`));
    let reads = 0;
    let listsOpened = 0;
    const source = nestedSource(
      visits.map((_, v) => v),
      (v) => (listsOpened++, visits[v]),
      (id) => (reads++, { id, n: Number(id.slice(1)) }),
    );
    const p1 = pageOf(source, all, idOf, 150, undefined);
    expect(p1.items.map((i) => i.n)).toEqual(Array.from({ length: 150 }, (_, i) => i));
    expect(reads).toBe(151);
    expect(listsOpened).toBe(2);
    reads = 0;
    listsOpened = 0;
    const p2 = pageOf(source, all, idOf, 150, p1.next!);
    expect(p2.items.map((i) => i.n)).toEqual(Array.from({ length: 150 }, (_, i) => 150 + i));
    expect(reads).toBe(152);
    expect(listsOpened).toBe(3 + 1); // the key check, then lists 1 to 3
  });
});

describe('paging through everything gives each item once, in order', () => {
  it('a plain list, for several page sizes, filtered or not', () => {
    const list = counted(1234);
    const source = arraySource(list.ids, list.get);
    for (const size of [1, 7, 100, 617, 1000]) {
      expect(walkAll(source, all, idOf, size).flat().map((i) => i.n)).toEqual(Array.from({ length: 1234 }, (_, i) => i));
      const odd = walkAll(source, (i) => i.n % 2 === 1, idOf, size).flat().map((i) => i.n);
      expect(odd).toEqual(Array.from({ length: 617 }, (_, i) => 2 * i + 1));
    }
  });

  it('a nested list with empty and uneven inner lists', () => {
    const lists = [['a'], [], ['b', 'c', 'd'], [], [], ['e', 'f'], ['g'], []];
    const source = nestedSource(lists, (l) => l, (id) => ({ id, n: 0 }));
    for (const size of [1, 2, 3, 7, 8]) {
      const pages = walkAll(source, all, idOf, size);
      expect(pages.flat().map(idOf)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
      expect(pages.every((p) => p.length > 0)).toBe(true);
    }
  });

  it('a nested key still works after items are appended to the inner lists', () => {
    const lists = [['a', 'b'], ['c']];
    const source = nestedSource(lists, (l) => l, (id) => ({ id, n: 0 }));
    const p1 = pageOf(source, all, idOf, 2, undefined);
    expect(p1.items.map(idOf)).toEqual(['a', 'b']);
    lists[0].push('b2');
    lists[1].push('d');
    const p2 = pageOf(source, all, idOf, 10, p1.next!);
    expect(p2).toEqual({ items: ['b2', 'c', 'd'].map((id) => ({ id, n: 0 })), next: null });
  });

  it('an empty collection is an empty page without a key', () => {
    expect(pageOf(arraySource([], (x: Item) => x), all, idOf, 5, undefined)).toEqual({ items: [], next: null });
    expect(pageOf(nestedSource([[], []], (l: Item[]) => l, (x) => x), all, idOf, 5, undefined)).toEqual({ items: [], next: null });
  });
});

describe('keys', () => {
  const lists = [['a', 'b'], ['c', 'd']];
  const nested = nestedSource(lists, (l) => l, (id) => ({ id, n: 0 }));
  const key = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

  it('a key gives the items after its own', () => {
    expect(pageOf(nested, all, idOf, 5, key('0.1:b')).items.map(idOf)).toEqual(['c', 'd']);
    expect(pageOf(nested, all, idOf, 5, key('1.0:c')).items.map(idOf)).toEqual(['d']);
  });

  it('a bad key is refused without walking the collection', () => {
    let reads = 0;
    const list = Array.from({ length: 100_000 }, (_, i) => `e${i}`);
    const source = arraySource(list, (id) => (reads++, { id, n: 0 }));
    expect(() => pageOf(source, all, idOf, 5, key('0:nope'))).toThrow(HttpError);
    expect(() => pageOf(source, all, idOf, 5, key('99999:e5'))).toThrow(HttpError);
    expect(reads).toBe(2); // one look at each key's position
  });

  it.each([
    ['an id not at its position', key('0.0:b')],
    ['a position of another shape', key('0:a')],
    ['a position past the end', key('5.0:a')],
    ['a huge position', key('99999999999999999999.1:a')],
    ['an unknown id', key('0.0:zz')],
    ['no id', key('0.1:')],
    ['a malformed position', key('0..1:a')],
    ['not base64url', 'a+b'],
  ])('%s is a 400 naming page_key', (_what, k) => {
    let err: unknown;
    try {
      pageOf(nested, all, idOf, 5, k);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).status).toBe(400);
    expect((err as HttpError).field).toBe('page_key');
  });
});

describe('a page looks at no more than SCAN_LIMIT items', () => {
  it('a filter that matches little ends the page where it stopped, with a key to go on, and the walk still finds every match once', () => {
    const list = counted(100_000);
    const rare = (i: Item) => i.n % 30_000 === 29_999; // 3 matches, far apart
    const source = arraySource(list.ids, list.get);
    const first = pageOf(source, rare, idOf, 10, undefined, 10_000);
    expect(first.items).toEqual([]);
    expect(first.next).not.toBeNull();
    expect(list.touched()).toBe(10_001);
    list.reset();
    const second = pageOf(source, rare, idOf, 10, first.next!, 10_000);
    expect(list.touched()).toBeLessThanOrEqual(10_003); // the key check, the scan, one more
    expect(second.next).not.toBeNull();
    const found = walkAll(source, rare, idOf, 10).flat().map((i) => i.n);
    expect(found).toEqual([29_999, 59_999, 89_999]);
  });

  it('a full page found within the limit is not cut', () => {
    const list = counted(100_000);
    const p = pageOf(arraySource(list.ids, list.get), (i) => i.n % 2 === 0, idOf, 100, undefined, 10_000);
    expect(p.items).toHaveLength(100);
    expect(p.next).not.toBeNull();
  });

  it('the default limit is 20,000', () => {
    expect(SCAN_LIMIT).toBe(20_000);
  });
});
