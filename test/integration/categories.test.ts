// Categories (GWE's Simple Engagement Model) over real HTTP: defined through the lab API,
// applied at intake, filtered on by the History API, kept across a restart and a reset.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GtEvent } from '../../protocol';
import { useCompanion, type LabHandle } from '../helpers/use-companion';
import { ev, pageEntered, visitCtx, visitStarted } from '../helpers/events';
import { onPostgres } from '../helpers/postgres';

const SHOP = [
  { name: 'Products', tags: ['products', { regex: '/cart$' }] },
  { name: 'Help', tags: [{ text: 'Support', caseSensitive: true }] },
];

async function call(lab: LabHandle, method: string, p: string, body?: unknown) {
  const res = await fetch(lab.companion.url + p, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function send(lab: LabHandle, events: GtEvent[]) {
  const res = await lab.http.post('/server/events', events);
  expect(res.status).toBe(200);
  expect(res.body.accepted).toBe(events.length);
}

/** The visit's events as the History API answers them: eventName → category. */
async function categories(lab: LabHandle, visitID: string, query = ''): Promise<Record<string, string | undefined> | number> {
  const res = await lab.http.get(`/server/data/visits/${visitID}/events${query}`);
  if (res.status !== 200) return res.status;
  return Object.fromEntries((res.body as { eventName: string; category?: string }[]).map((e) => [e.eventName, e.category || undefined]));
}

describe('lab API: /lab/categories', () => {
  const lab = useCompanion();

  it('starts with none; PUT replaces the set, POST adds or replaces by name, DELETE removes one', async () => {
    expect(await call(lab, 'GET', '/lab/categories')).toEqual({ status: 200, body: [] });
    expect(await call(lab, 'PUT', '/lab/categories', SHOP)).toEqual({ status: 200, body: SHOP });
    const help = { name: 'Help', tags: ['faq'] };
    const deals = { name: 'Deals', tags: [{ regex: 'sale|deal' }] };
    expect(await call(lab, 'POST', '/lab/categories', [help, deals])).toEqual({ status: 201, body: [SHOP[0], help, deals] });
    expect(await call(lab, 'POST', '/lab/categories', { name: 'Home', tags: ['/index'] })).toMatchObject({ status: 201, body: { length: 4 } });
    expect(await call(lab, 'DELETE', '/lab/categories/Help')).toMatchObject({ status: 200, body: [SHOP[0], deals, { name: 'Home' }] });
    expect(await call(lab, 'DELETE', '/lab/categories/Help')).toMatchObject({ status: 404, body: { error: 'not_found' } });
    expect(await call(lab, 'PUT', '/lab/categories', [])).toEqual({ status: 200, body: [] });
  });

  it('answers 400 naming the field, and changes nothing', async () => {
    await call(lab, 'PUT', '/lab/categories', SHOP);
    const bad: [string, unknown, string][] = [
      ['PUT', [{ name: 'A', tags: ['a', { regex: '([' }] }], '[0].tags[1].regex'],
      // Could backtrack exponentially on some url and hold intake: refused up front.
      ['POST', [{ name: 'A', tags: [{ regex: '^/(a+)+$' }] }], '[0].tags[0].regex'],
      ['PUT', { name: 'A', tags: ['a'] }, 'body'],
      ['POST', [{ name: 'A;B', tags: ['a'] }], '[0].name'],
      ['POST', [{ name: 'A', tags: [] }], '[0].tags'],
      ['POST', [], 'body'],
      ['POST', 'not json', 'body'],
      ['PUT', [{ name: 'all categories', tags: ['a'] }], '[0].name'],
    ];
    for (const [method, body, field] of bad) {
      const res = await call(lab, method, '/lab/categories', body);
      expect(res.status, `${method} ${JSON.stringify(body)}`).toBe(400);
      expect(res.body).toMatchObject({ error: 'bad_request', field });
      expect(res.body.message).toContain(field);
    }
    expect((await call(lab, 'GET', '/lab/categories')).body).toEqual(SHOP);
  });
});

describe('categories at intake and in the History API', () => {
  const lab = useCompanion();

  it("labels each event with every category found in its URL or its page's title", async () => {
    await call(lab, 'PUT', '/lab/categories', SHOP);
    const c = visitCtx('cat-a');
    await send(lab, [
      visitStarted(c, { pageID: 'p1', url: 'http://shop.test/products/42' }),
      pageEntered(c, 'p1', 'http://shop.test/products/42', 'Support for product 42'),
      ev(c, 'Search', { pageID: 'p1', url: 'http://shop.test/products/42', data: { q: 'x' } }),
    ]);
    // An event of the page in a later request takes the title of its stored page.
    await send(lab, [ev(c, 'Zoom', { pageID: 'p1', url: 'http://shop.test/other', data: {} })]);
    await send(lab, [pageEntered(c, 'p2', 'http://shop.test/cart', 'Your basket'), ev(c, 'Nothing', { pageID: 'p3', url: 'http://shop.test/', data: {} })]);
    const res = await lab.http.get('/server/data/visits/cat-a/events');
    expect(res.body.map((e: { eventName: string; category?: string }) => `${e.eventName} ${e.category || '-'}`)).toEqual([
      'VisitStarted Products;Help', // on page p1: its title, from the PageEntered sent with it
      'PageEntered Products;Help', // "Support" in the title, written in the tag's case
      'Search Products;Help',
      'Zoom Help', // its own URL has no tag; its page's title does
      'PageEntered Products',
      'Nothing -', // a page the companion does not know: only its URL is searched
    ]);
    // The first PageEntered has both names, the second only "Products" (/cart at the end).
    const pages = await lab.http.get('/server/data/visits/cat-a/pages');
    expect(pages.body.map((p: { title: string; category: string }) => [p.title, p.category])).toEqual([
      ['Support for product 42', 'Products;Help'],
      ['Your basket', 'Products'],
    ]);
  });

  it('a page whose PageEntered has no category is served with "", as its events are', async () => {
    await call(lab, 'PUT', '/lab/categories', []);
    try {
      const c = visitCtx('cat-none');
      await send(lab, [visitStarted(c, { pageID: 'p1', url: 'http://shop.test/plain' }), pageEntered(c, 'p1', 'http://shop.test/plain', 'Plain')]);
      const pages = await lab.http.get('/server/data/visits/cat-none/pages');
      expect(pages.body.map((p: { category: unknown }) => p.category)).toEqual(['']);
      const events = await lab.http.get('/server/data/visits/cat-none/events');
      expect(events.body.map((e: { category: unknown }) => e.category)).toEqual(['', '']);
    } finally {
      await call(lab, 'PUT', '/lab/categories', SHOP);
    }
  });

  it('keeps the category an event came with and adds the matching names after it', async () => {
    await call(lab, 'PUT', '/lab/categories', SHOP);
    const c = visitCtx('cat-own');
    await send(lab, [
      ev(c, 'AddToCart', { pageID: 'p1', url: 'http://shop.test/products/1', category: 'cart', data: {} }),
      ev(c, 'Again', { pageID: 'p1', url: 'http://shop.test/products/1', category: 'Products', data: {} }),
      ev(c, 'Alone', { pageID: 'p1', url: 'http://shop.test/', category: 'mine', data: {} }),
    ]);
    expect(await categories(lab, 'cat-own')).toEqual({ AddToCart: 'cart;Products', Again: 'Products', Alone: 'mine' });
  });

  it('the category filter takes a name or all categories (204 when nothing matches)', async () => {
    await call(lab, 'PUT', '/lab/categories', SHOP);
    const c = visitCtx('cat-f');
    await send(lab, [
      pageEntered(c, 'p1', 'http://shop.test/products', 'Shop'),
      pageEntered(c, 'p2', 'http://shop.test/about', 'About us'),
      ev(c, 'Chat', { pageID: 'p2', url: 'http://shop.test/about', category: 'chat', data: {} }),
    ]);
    const names = async (q: string) => {
      const r = await lab.http.get(`/server/data/visits/cat-f/events?${q}`);
      return r.status === 204 ? 204 : (r.body as { eventName: string; url: string }[]).map((e) => `${e.eventName} ${e.url}`);
    };
    expect(await names('category=Products')).toEqual(['PageEntered http://shop.test/products']);
    expect(await names('category=chat')).toEqual(['Chat http://shop.test/about']);
    expect(await names('category=all%20categories')).toEqual(['PageEntered http://shop.test/products', 'Chat http://shop.test/about']);
    expect(await names('category=Help')).toBe(204);
    const pages = await lab.http.get('/server/data/visits/cat-f/pages?category=all%20categories');
    expect(pages.body.map((p: { url: string }) => p.url)).toEqual(['http://shop.test/products']);
  });

  it('events stored before a category was defined keep what they got', async () => {
    const c = visitCtx('cat-late');
    await send(lab, [pageEntered(c, 'p1', 'http://shop.test/products', 'Shop')]);
    await call(lab, 'PUT', '/lab/categories', SHOP);
    await send(lab, [pageEntered(c, 'p2', 'http://shop.test/products/2', 'Shop')]);
    const res = await lab.http.get('/server/data/visits/cat-late/events?category=all%20categories');
    expect(res.body.map((e: { url: string }) => e.url)).toEqual(['http://shop.test/products/2']);
  });
});

describe('categories survive', () => {
  const lab = useCompanion({ snapshotAfterBytes: 600 });

  it('a restart (journal folded into a snapshot) and a reset', async () => {
    await call(lab, 'PUT', '/lab/categories', SHOP);
    // Enough events to pass the snapshot threshold, so the definitions must be in the snapshot.
    const c = visitCtx('cat-r');
    await send(lab, Array.from({ length: 10 }, (_, i) => pageEntered(c, `p${i}`, `http://shop.test/page${i}`, `Page ${i}`)));
    await lab.restart();
    if (!onPostgres()) {
      const snapshot = readFileSync(path.join(lab.companion.dataDir, 'visitor-lab.json'), 'utf8').split('\n')[0];
      expect(JSON.parse(snapshot).categories).toEqual(SHOP);
    }
    expect((await call(lab, 'GET', '/lab/categories')).body).toEqual(SHOP);
    await lab.http.post('/lab/reset', {});
    expect((await call(lab, 'GET', '/lab/categories')).body).toEqual(SHOP);
    await send(lab, [pageEntered(visitCtx('cat-r2'), 'p1', 'http://shop.test/cart', 'Cart')]);
    expect(await categories(lab, 'cat-r2')).toEqual({ PageEntered: 'Products' });
  });
});

describe('the intake answer names each event\'s categories', () => {
  const lab = useCompanion();

  it('on accepted and duplicate results, not on rejected ones', async () => {
    await call(lab, 'PUT', '/lab/categories', SHOP);
    const c = visitCtx('cat-answer');
    const events = [pageEntered(c, 'p1', 'http://shop.test/products', 'Shop'), ev(c, 'Plain', { pageID: 'p9', url: 'http://shop.test/', data: {} })];
    const first = await lab.http.post('/server/events', [...events, { eventName: 'broken' }]);
    expect(first.body.results.map((r: { status: string; category?: string }) => [r.status, r.category])).toEqual([
      ['accepted', 'Products'],
      ['accepted', undefined],
      ['rejected', undefined],
    ]);
    const again = await lab.http.post('/server/events', events);
    expect(again.body.results.map((r: { status: string; category?: string }) => [r.status, r.category])).toEqual([
      ['duplicate', 'Products'],
      ['duplicate', undefined],
    ]);
  });
});

describe('under --auth, a caller without credentials', () => {
  const lab = useCompanion({ auth: 'tester:secret' });
  const creds = { authorization: 'Basic ' + Buffer.from('tester:secret').toString('base64') };

  it('hears the same answer, categories included, for a stored event as for a new one', async () => {
    const put = await fetch(`${lab.companion.url}/lab/categories`, { method: 'PUT', headers: { ...creds, 'content-type': 'application/json' }, body: JSON.stringify(SHOP) });
    expect(put.status).toBe(200);
    const c = visitCtx('cat-auth');
    const event = pageEntered(c, 'p1', 'http://shop.test/products', 'Shop');
    const first = await lab.http.post('/server/events', [event]);
    const second = await lab.http.post('/server/events', [event]);
    expect(first.body).toEqual(second.body);
    expect(second.body.results[0]).toMatchObject({ status: 'accepted', category: 'Products' });
  });
});

describe('hostile definitions', () => {
  const lab = useCompanion({}, 'all');

  it('any JSON body is a 200 or a 4xx JSON error naming the field, never a 5xx', async () => {
    const fc = await import('fast-check');
    const tag = fc.oneof(fc.string(), fc.record({ regex: fc.string() }, { requiredKeys: [] }), fc.record({ text: fc.string(), caseSensitive: fc.anything() }, { requiredKeys: [] }), fc.anything());
    const category = fc.oneof(fc.record({ name: fc.string(), tags: fc.array(tag, { maxLength: 4 }) }, { requiredKeys: [] }), fc.anything());
    const body = fc.oneof(fc.array(category, { maxLength: 4 }), fc.jsonValue(), fc.string());
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('PUT', 'POST'), body, async (method, value) => {
        const res = await call(lab, method, '/lab/categories', JSON.stringify(value));
        expect([200, 201, 400]).toContain(res.status);
        if (res.status === 400) expect(typeof res.body.field).toBe('string');
        // Whatever was stored still labels events without an error.
        const c = visitCtx();
        await send(lab, [pageEntered(c, 'p1', 'http://shop.test/x', 'X')]);
      }),
      { numRuns: 150, seed: 12 },
    );
  });
});
