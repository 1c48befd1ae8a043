// The History API (contract section 4, docs/api.md) after the shared story (./story.ts): strict
// query parameters (400 naming the parameter) and paging with page_size / Paging-Next.
import { describe, expect, it } from 'vitest';
import { useStory, ANN, ANN_PATH, http, A, ids, ALL_ANN, expectBadParam } from './story';

useStory();

describe('an unknown parameter is ignored and named in X-Ignored-Parameters', () => {
  // Each: the request with unknown parameters, the same without them, the names the header gives.
  it.each([
    ['/server/data/visits/visit-A?_=1700000000000', '/server/data/visits/visit-A', '_'],
    ['/server/data/identities?eventname=SignIn&_=1', '/server/data/identities', 'eventname, _'],
    ['/server/data/visits/visit-A/events?EventName=SignIn&eventType=SYSTEM', '/server/data/visits/visit-A/events?eventType=SYSTEM', 'EventName'],
    ['/server/data/identities?visitScope=Recognized&visitScope=Authenticated', '/server/data/identities', 'visitScope'],
    ['/server/data/visits/visit-A/pages?browserPageID=home', '/server/data/visits/visit-A/pages', 'browserPageID'],
    ['/server/data/visits/visit-A?include_visits=true&include_pages=true', '/server/data/visits/visit-A?include_pages=true', 'include_visits'],
    [`/server/data/identities/${ANN_PATH}/events?callback=jQuery1&_=2`, `/server/data/identities/${ANN_PATH}/events`, 'callback, _'],
    ['/server/data/visits/visit-A?%C3%A9t%C3%A9=1&a%2Cb=2', '/server/data/visits/visit-A', '%C3%A9t%C3%A9, a%2Cb'],
  ])('GET %s answers as %s, naming %s', async (url, plain, names) => {
    const [res, same] = [await http.get(url), await http.get(plain)];
    expect(res.status).toBe(200);
    expect(res.body).toEqual(same.body);
    expect(res.headers.get('x-ignored-parameters')).toBe(names);
    expect(same.headers.get('x-ignored-parameters')).toBeNull();
  });

  it('include_X_detail beside include_X=false embeds nothing (GWE takes it only with include_X=true), and is named', async () => {
    const res = await http.get('/server/data/visits/visit-A?include_pages=false&include_pages_detail=true&include_events=true');
    expect(res.status).toBe(200);
    expect(res.body.pages).toBeNull();
    expect(res.body.pageIds).toBeNull();
    expect(res.body.eventIds.length).toBeGreaterThan(0);
    expect(res.headers.get('x-ignored-parameters')).toBe('include_pages_detail');
    const both = await http.get('/server/data/visits/visit-A?include_pages=true&include_pages_detail=true');
    expect(both.body.pages.map((p: any) => p.pageId)).toEqual(both.body.pageIds);
    expect(both.headers.get('x-ignored-parameters')).toBeNull();
  });

  it('the header is cut at 2,000 characters, saying so; names no header could carry are percent-encoded', async () => {
    const many = Array.from({ length: 400 }, (_, i) => `unknown_${i}=1`).join('&');
    const res = await http.get(`/server/data/visits/visit-A?${many}&%0D%0Aevil=1`);
    expect(res.status).toBe(200);
    const header = res.headers.get('x-ignored-parameters')!;
    expect(header.length).toBeLessThanOrEqual(2000 + ', ...'.length);
    expect(header.startsWith('unknown_0, unknown_1, ')).toBe(true);
    expect(header.endsWith(', ...')).toBe(true);
    const crlf = await http.get('/server/data/visits/visit-A?%0D%0ASet-Cookie%3A%20x=1');
    expect(crlf.status).toBe(200);
    expect(crlf.headers.get('x-ignored-parameters')).toBe('%0D%0ASet-Cookie%3A%20x');
    expect(crlf.headers.get('set-cookie')).toBeNull();
  });

  it('a bad value of a known parameter is still a 400 beside an ignored one', async () => {
    expectBadParam(await http.get('/server/data/visits?_=1&page_size=0'), 'page_size');
  });
});

describe('a known parameter with a bad value: 400 naming the parameter', () => {
  it.each([
    ['/server/data/visits/visit-A/events?eventName=SignIn&eventName=SignOut', 'eventName'],
    ['/server/data/visits/visit-A?include_events=yes', 'include_events'],
    ['/server/data/visits/visit-A?include_events=True', 'include_events'],
    ['/server/data/visits/visit-A?include_pages_detail=1', 'include_pages_detail'],
    [`/server/data/identities/${ANN_PATH}?include_visits=`, 'include_visits'],
    ['/server/data/visits?age=-1', 'age'],
    ['/server/data/visits/visit-A/events?age=abc', 'age'],
    [`/server/data/identities/${ANN_PATH}/pages?age=`, 'age'],
    ['/server/data/visits/visit-A/events?eventType=system', 'eventType'],
    [`/server/data/identities/${ANN_PATH}/events?eventType=CUSTOM`, 'eventType'],
    ['/server/data/visits/visit-A/events?url=', 'url'],
    ['/server/data/visits?page_size=0', 'page_size'],
    ['/server/data/visits?page_size=1001', 'page_size'],
    ['/server/data/visits?page_size=abc', 'page_size'],
    ['/server/data/visits?page_size=2.5', 'page_size'],
    ['/server/data/visits?page_size=-3', 'page_size'],
    ['/server/data/visits?page_key=not%20a%20key', 'page_key'],
    ['/server/data/visits?page_size=1&page_key=' + Buffer.from('0:visit-Z').toString('base64url'), 'page_key'],
    ['/server/data/visits?page_key=' + Buffer.from('hello').toString('base64url'), 'page_key'],
  ])('GET %s -> 400 naming %s', async (url, field) => {
    expectBadParam(await http.get(url), field);
  });

  it('takes page_size=1000', async () => {
    const res = await http.get('/server/data/visits?page_size=1000');
    expect(res.status).toBe(200);
    expect(res.headers.get('paging-next')).toBeNull();
  });
});

describe('paging', () => {
  async function walk(path: string, pageSize: number, idOf: (x: any) => string) {
    const sep = path.includes('?') ? '&' : '?';
    const pages: string[][] = [];
    let key: string | null = null;
    for (let guard = 0; guard < 50; guard++) {
      const res = await http.get(`${path}${sep}page_size=${pageSize}${key ? `&page_key=${encodeURIComponent(key)}` : ''}`);
      expect(res.status).toBe(200);
      pages.push(res.body.map(idOf));
      key = res.headers.get('paging-next');
      if (!key) return pages;
    }
    throw new Error('paging did not end');
  }

  it('walks the visit\'s events with page_size and Paging-Next, no gaps or duplicates', async () => {
    const pages = await walk('/server/data/visits/visit-A/events', 3, (e) => e.eventID);
    expect(pages.map((p) => p.length)).toEqual([3, 3, 2]);
    expect(pages.flat()).toEqual(ids(A));
  });

  it('ends without an empty page when the size divides the collection', async () => {
    const pages = await walk('/server/data/visits/visit-A/events', 4, (e) => e.eventID);
    expect(pages.map((p) => p.length)).toEqual([4, 4]);
    expect(pages.flat()).toEqual(ids(A));
  });

  it('walks identity events, identities, visits and pages', async () => {
    expect((await walk(`/server/data/identities/${ANN_PATH}/events`, 5, (e) => e.eventID)).flat()).toEqual(ids(ALL_ANN()));
    expect(await walk('/server/data/identities', 1, (i) => i.identityId)).toEqual([[ANN], ['bob-7']]);
    expect(await walk('/server/data/visits', 3, (v) => v.visitId)).toEqual([['visit-A', 'visit-C', 'visit-B'], ['visit-D']]);
    expect(await walk('/server/data/visits?age=2400', 1, (v) => v.visitId)).toEqual([['visit-C'], ['visit-B'], ['visit-D']]);
    expect(await walk(`/server/data/identities/${ANN_PATH}/pages`, 3, (p) => p.pageId)).toEqual([
      ['visit-A:home', 'visit-A:product', 'visit-A:account'],
      ['visit-B:home'],
    ]);
    expect(await walk(`/server/data/identities/${ANN_PATH}/visits`, 1, (v) => v.visitId)).toEqual([['visit-A'], ['visit-B']]);
  });

  it('pages a filtered collection with the same filters', async () => {
    const pages = await walk(`/server/data/identities/${ANN_PATH}/events?eventType=SYSTEM`, 4, (e) => e.eventID);
    const expected = ALL_ANN().filter((e) => e.eventType === 'SYSTEM').map((e) => e.eventID);
    expect(pages.map((p) => p.length)).toEqual([4, 4, 2]);
    expect(pages.flat()).toEqual(expected);
  });

  it('gives no Paging-Next without page_size, and none on the last page', async () => {
    const all = await http.get('/server/data/visits/visit-A/events');
    expect(all.headers.get('paging-next')).toBeNull();
    const one = await http.get('/server/data/visits/visit-A/events?page_size=8');
    expect(one.body).toHaveLength(8);
    expect(one.headers.get('paging-next')).toBeNull();
  });
});
