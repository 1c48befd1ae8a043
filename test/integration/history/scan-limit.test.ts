// A filter that matches little in a big collection answers in bounded time (issue 9: no request
// may freeze the server): a page looks at no more than 20,000 items, then ends where it stopped
// with a Paging-Next key, even with nothing in it; 204 still means nothing matches at all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, type Api, testCompanion, type TestCompanion } from '../../helpers/companion';
import { ev, visitCtx, visitStarted } from '../../helpers/events';

let companion: TestCompanion;
let http: Api;
const c = visitCtx('scan-v');
const EVENTS = 45_000;

beforeAll(async () => {
  companion = await testCompanion();
  http = api(companion.url);
  await http.post('/server/events', visitStarted(c));
  for (let n = 1; n < EVENTS; n += 1000) {
    const batch = Array.from({ length: Math.min(1000, EVENTS - n) }, (_, i) => {
      const k = n + i;
      return ev(c, 'AddToCart', { eventID: `scan-${k}`, url: k === EVENTS - 1 ? 'http://shop.test/needle' : 'http://shop.test/hay' });
    });
    expect((await http.post('/server/events', batch)).status).toBe(200);
  }
}, 60_000);
afterAll(() => companion.close());

describe('a rare match in 45,000 events', () => {
  it('is reached through pages that end early, each with a key, never a 204 before the end', async () => {
    const pages: { status: number; items: number }[] = [];
    const found: string[] = [];
    let key: string | null = null;
    do {
      const res = await http.get(`/server/data/visits/${c.visitID}/events?url=needle${key ? `&page_key=${key}` : ''}`);
      pages.push({ status: res.status, items: res.status === 200 ? res.body.length : 0 });
      if (res.status === 200) found.push(...res.body.map((e: { eventID: string }) => e.eventID));
      key = res.headers.get('paging-next');
    } while (key);
    expect(found).toEqual([`scan-${EVENTS - 1}`]);
    expect(pages.slice(0, 2)).toEqual([
      { status: 200, items: 0 },
      { status: 200, items: 0 },
    ]);
    expect(pages.at(-1)).toEqual({ status: 200, items: 1 });
  });

  it('a filter that matches nothing anywhere still ends with a 204', async () => {
    let key: string | null = null;
    let last = 0;
    do {
      const res = await http.get(`/server/data/visits/${c.visitID}/events?url=nowhere${key ? `&page_key=${key}` : ''}`);
      last = res.status;
      key = res.headers.get('paging-next');
    } while (key);
    expect(last).toBe(204);
  });
});

describe('a rare match among 20,500 visits (more than one scan)', () => {
  let other: TestCompanion;
  let otherHttp: Api;
  const VISITS = 20_500;
  beforeAll(async () => {
    other = await testCompanion();
    otherHttp = api(other.url);
    for (let n = 0; n < VISITS; n += 1000) {
      const batch = Array.from({ length: Math.min(1000, VISITS - n) }, (_, i) => visitStarted(visitCtx(`many-${n + i}`)));
      // The last visit alone comes from another browser.
      const ua = n + 1000 >= VISITS ? undefined : 'HayBrowser/1.0';
      if (ua) expect((await otherHttp.post('/server/events', batch, { 'user-agent': ua })).status).toBe(200);
      else {
        expect((await otherHttp.post('/server/events', batch.slice(0, -1), { 'user-agent': 'HayBrowser/1.0' })).status).toBe(200);
        expect((await otherHttp.post('/server/events', batch.slice(-1), { 'user-agent': 'NeedleBrowser/2.0' })).status).toBe(200);
      }
    }
  }, 120_000);
  afterAll(() => other.close());

  it('GET /server/data/visits?userAgent= goes on past the scan with a key and finds it', async () => {
    const found: string[] = [];
    let key: string | null = null;
    let pages = 0;
    do {
      const res = await otherHttp.get(`/server/data/visits?userAgent=needlebrowser${key ? `&page_key=${key}` : ''}`);
      pages++;
      if (res.status === 200) found.push(...res.body.map((v: { visitId: string }) => v.visitId));
      key = res.headers.get('paging-next');
    } while (key && pages < 10);
    expect(found).toEqual([`many-${VISITS - 1}`]);
    expect(pages).toBeGreaterThan(1);
  });
});
