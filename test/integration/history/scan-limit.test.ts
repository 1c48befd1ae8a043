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
