// History API paging (page_size / Paging-Next / page_key) and strict query parsing.
import { describe, expect, it } from 'vitest';
import { HttpError } from '../../companion/server/errors';
import { arraySource, pageOf } from '../../companion/server/history/paging';
import { DEFAULT_PAGE_SIZE, includeSpec, MAX_PAGE_SIZE, PAGING, parseQuery, type Spec } from '../../companion/server/history/query';

interface Item {
  id: string;
}
const idOf = (i: Item) => i.id;
const items = (...ids: string[]): Item[] => ids.map((id) => ({ id }));
// A page of a plain list, every item kept; no page_size means the default, as in the routes.
const paginate = (list: Item[], _idOf: typeof idOf, size: number | undefined, key: string | undefined) =>
  pageOf(arraySource(list, (i) => i), () => true, idOf, size ?? DEFAULT_PAGE_SIZE, key);

function httpError(fn: () => unknown): HttpError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(HttpError);
    return e as HttpError;
  }
  throw new Error('expected an HttpError, nothing was thrown');
}

describe('paginate', () => {
  const all = items('a', 'b', 'c', 'd', 'e');

  it('without page_size gives a short collection whole and no next key', () => {
    expect(paginate(all, idOf, undefined, undefined)).toEqual({ items: all, next: null });
  });

  it(`without page_size gives ${DEFAULT_PAGE_SIZE} items and a next key`, () => {
    expect(DEFAULT_PAGE_SIZE).toBe(100);
    const many = items(...Array.from({ length: 250 }, (_, i) => `i${i}`));
    const p1 = paginate(many, idOf, undefined, undefined);
    expect(p1.items).toEqual(many.slice(0, 100));
    const p2 = paginate(many, idOf, undefined, p1.next!);
    expect(p2.items).toEqual(many.slice(100, 200));
    expect(paginate(many, idOf, undefined, p2.next!)).toEqual({ items: many.slice(200), next: null });
  });

  it('pages chain through their keys; the last page has no next', () => {
    const p1 = paginate(all, idOf, 2, undefined);
    expect(p1.items.map(idOf)).toEqual(['a', 'b']);
    expect(p1.next).toEqual(expect.any(String));
    const p2 = paginate(all, idOf, 2, p1.next!);
    expect(p2.items.map(idOf)).toEqual(['c', 'd']);
    expect(p2.next).toEqual(expect.any(String));
    expect(p2.next).not.toBe(p1.next);
    const p3 = paginate(all, idOf, 2, p2.next!);
    expect(p3).toEqual({ items: [{ id: 'e' }], next: null });
  });

  it('an exact multiple of the page size ends without a next key', () => {
    const four = items('a', 'b', 'c', 'd');
    const p1 = paginate(four, idOf, 2, undefined);
    const p2 = paginate(four, idOf, 2, p1.next!);
    expect(p2).toEqual({ items: items('c', 'd'), next: null });
  });

  it('a page size larger than the collection gives one page', () => {
    expect(paginate(all, idOf, 10, undefined)).toEqual({ items: all, next: null });
    expect(paginate(all, idOf, 5, undefined)).toEqual({ items: all, next: null });
  });

  it('an empty collection gives an empty page', () => {
    expect(paginate([], idOf, 3, undefined)).toEqual({ items: [], next: null });
  });

  it('walking with page_size 1 visits every item once, in order', () => {
    const seen: string[] = [];
    let key: string | undefined;
    for (let guard = 0; guard < 10; guard++) {
      const p = paginate(all, idOf, 1, key);
      seen.push(...p.items.map(idOf));
      if (p.next === null) break;
      key = p.next;
    }
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('a key without page_size gives the rest', () => {
    const p1 = paginate(all, idOf, 2, undefined);
    expect(paginate(all, idOf, undefined, p1.next!)).toEqual({ items: items('c', 'd', 'e'), next: null });
  });

  it('the key is URL-safe', () => {
    const odd = items('a/b+c=d', 'ü ö?&', 'x');
    const p1 = paginate(odd, idOf, 1, undefined);
    expect(p1.next).toMatch(/^[A-Za-z0-9_-]+$/);
    const p2 = paginate(odd, idOf, 1, p1.next!);
    expect(p2.items.map(idOf)).toEqual(['ü ö?&']);
    expect(p2.next).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(paginate(odd, idOf, 1, p2.next!).items.map(idOf)).toEqual(['x']);
  });

  it('a key still works after items are appended', () => {
    const growing = items('a', 'b', 'c');
    const p1 = paginate(growing, idOf, 2, undefined);
    expect(p1.items.map(idOf)).toEqual(['a', 'b']);
    growing.push({ id: 'd' }, { id: 'e' }, { id: 'f' });
    const p2 = paginate(growing, idOf, 2, p1.next!);
    expect(p2.items.map(idOf)).toEqual(['c', 'd']);
    const p3 = paginate(growing, idOf, 2, p2.next!);
    expect(p3).toEqual({ items: items('e', 'f'), next: null });
  });

  it('a key on the last page given becomes useful once items are appended', () => {
    const growing = items('a', 'b', 'c');
    const p1 = paginate(growing, idOf, 2, undefined);
    const p2 = paginate(growing, idOf, 2, p1.next!);
    expect(p2).toEqual({ items: items('c'), next: null });
    growing.push({ id: 'd' });
    // Continuing after b again now also reaches d.
    expect(paginate(growing, idOf, 2, p1.next!)).toEqual({ items: items('c', 'd'), next: null });
  });

  it('a key whose item moved is a 400 (the stored lists are only appended to: it is not of this list)', () => {
    const list = items('a', 'b', 'c', 'd');
    const p1 = paginate(list, idOf, 2, undefined);
    list.unshift({ id: 'z' });
    const e = httpError(() => paginate(list, idOf, 2, p1.next!));
    expect(e.status).toBe(400);
    expect(e.field).toBe('page_key');
  });

  const badKeys: [string, string][] = [
    ['not base64url', 'not a key!'],
    ['empty', ''],
    ['no index', Buffer.from('abc', 'utf8').toString('base64url')],
    ['negative index', Buffer.from('-1:a', 'utf8').toString('base64url')],
    ['no id', Buffer.from('3:', 'utf8').toString('base64url')],
    ['unknown id', Buffer.from('0:nope', 'utf8').toString('base64url')],
  ];
  for (const [what, key] of badKeys) {
    it(`a bad key (${what}) is a 400 naming page_key`, () => {
      const e = httpError(() => paginate(all, idOf, 2, key));
      expect(e.status).toBe(400);
      expect(e.code).toBe('bad_request');
      expect(e.field).toBe('page_key');
      expect(e.message).toMatch(/^page_key: /);
    });
  }

  it('a key from a removed item is a 400 naming page_key', () => {
    const list = items('a', 'b', 'c');
    const p1 = paginate(list, idOf, 1, undefined);
    list.shift();
    const e = httpError(() => paginate(list, idOf, 1, p1.next!));
    expect(e.status).toBe(400);
    expect(e.field).toBe('page_key');
  });
});

describe('parseQuery', () => {
  const spec: Spec = {
    ...includeSpec('visits', 'events'),
    ...PAGING,
    age: 'age',
    url: 'text',
    eventType: ['SYSTEM', 'BUSINESS'],
  };

  it('parses every kind of parameter', () => {
    expect(
      parseQuery(
        { include_visits: 'true', include_events_detail: 'false', page_size: '25', page_key: 'abc', age: '3600', url: 'http://shop.test/', eventType: 'BUSINESS' },
        spec,
      ),
    ).toEqual({ include_visits: true, include_events_detail: false, page_size: 25, page_key: 'abc', age: 3600, url: 'http://shop.test/', eventType: 'BUSINESS' });
  });

  it('an empty query gives an empty result', () => {
    expect(parseQuery({}, spec)).toEqual({});
  });

  it('includeSpec declares the id-list and detail flags as booleans', () => {
    expect(includeSpec('pages')).toEqual({ include_pages: 'bool', include_pages_detail: 'bool' });
    expect(PAGING).toEqual({ page_size: 'pageSize', page_key: 'pageKey' });
  });

  function rejects(query: Record<string, unknown>, field: string) {
    const e = httpError(() => parseQuery(query, spec));
    expect(e.status).toBe(400);
    expect(e.code).toBe('bad_request');
    expect(e.field).toBe(field);
    expect(e.message.startsWith(`${field}: `)).toBe(true);
    return e;
  }

  it('bool takes true and false only', () => {
    expect(parseQuery({ include_visits: 'true' }, spec)).toEqual({ include_visits: true });
    expect(parseQuery({ include_visits: 'false' }, spec)).toEqual({ include_visits: false });
    for (const bad of ['TRUE', 'True', '1', '0', 'yes', '', ' true']) rejects({ include_visits: bad }, 'include_visits');
  });

  it('age is a number of seconds, 0 or more', () => {
    expect(parseQuery({ age: '0' }, spec)).toEqual({ age: 0 });
    expect(parseQuery({ age: '1.5' }, spec)).toEqual({ age: 1.5 });
    expect(parseQuery({ age: '86400' }, spec)).toEqual({ age: 86400 });
    for (const bad of ['-1', '-0.5', '', '  ', 'abc', 'Infinity', 'NaN', '10s']) rejects({ age: bad }, 'age');
  });

  it(`page_size is a whole number from 1 to ${MAX_PAGE_SIZE}`, () => {
    expect(MAX_PAGE_SIZE).toBe(1000);
    expect(parseQuery({ page_size: '1' }, spec)).toEqual({ page_size: 1 });
    expect(parseQuery({ page_size: '1000' }, spec)).toEqual({ page_size: 1000 });
    for (const bad of ['0', '1001', '-1', '1.5', '2e2', '', ' 5', '0x10', 'ten']) rejects({ page_size: bad }, 'page_size');
  });

  it('enum values must be one of the list, case-sensitive', () => {
    expect(parseQuery({ eventType: 'SYSTEM' }, spec)).toEqual({ eventType: 'SYSTEM' });
    const e = rejects({ eventType: 'system' }, 'eventType');
    expect(e.message).toContain('SYSTEM, BUSINESS');
    rejects({ eventType: '' }, 'eventType');
  });

  it('text must not be empty', () => {
    rejects({ url: '' }, 'url');
    expect(parseQuery({ url: ' ' }, spec)).toEqual({ url: ' ' });
  });

  it('an unknown parameter is a 400 naming it', () => {
    const e = rejects({ eventname: 'SignIn' }, 'eventname');
    expect(e.message).toContain('eventType');
    rejects({ include_pages: 'true' }, 'include_pages');
    rejects({ toString: 'x' }, 'toString');
    rejects(JSON.parse('{"__proto__":"x"}') as Record<string, unknown>, '__proto__');
  });

  it('an unknown parameter is reported even when the spec is empty', () => {
    const e = httpError(() => parseQuery({ x: '1' }, {}));
    expect(e.status).toBe(400);
    expect(e.field).toBe('x');
  });

  it('a repeated parameter (array value) is a 400 naming it', () => {
    const e = rejects({ page_size: ['10', '20'] }, 'page_size');
    expect(e.message).toContain('more than once');
    rejects({ include_visits: ['true', 'true'] }, 'include_visits');
    rejects({ url: ['a'] }, 'url');
  });

  it('a nested (object) value is a 400 naming it', () => {
    rejects({ url: { a: 'b' } }, 'url');
  });

  it('the first bad parameter is named', () => {
    rejects({ age: '5', page_size: '0', bogus: '1' }, 'page_size');
  });
});
