// History reads are bounded (docs/api.md, "Paging" and "Response bound"): collections come in
// pages of DEFAULT_PAGE_SIZE without page_size, and an answer that would pass the response
// bound is a 400 `response_too_large` naming what to change, never a 500. The bound is set low
// here (VISITOR_LAB_HISTORY_MAX_RESPONSE) so that a visit of 2,000 fat events passes it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GtEvent } from '../../../protocol';
import { MAX_RESPONSE_ENV } from '../../../companion/server/history/budget';
import { DEFAULT_PAGE_SIZE } from '../../../companion/server/history/query';
import { removeDir, runCli, tempDir } from '../../helpers/companion';
import { ev, visitCtx, visitStarted } from '../../helpers/events';
import { useCompanion } from '../../helpers/use-companion';

const BOUND = 256 * 1024;
const before = process.env[MAX_RESPONSE_ENV];
process.env[MAX_RESPONSE_ENV] = String(BOUND);
afterAll(() => {
  if (before === undefined) delete process.env[MAX_RESPONSE_ENV];
  else process.env[MAX_RESPONSE_ENV] = before;
});

const lab = useCompanion({}, 'all');
const EMAIL = 'fat@shop.test';
const SMALL_VISITS = 130;
const fatIds: string[] = [];
const smallVisitIds: string[] = [];

async function post(events: GtEvent[]): Promise<void> {
  const res = await lab.http.post('/server/events', events);
  expect(res.status).toBe(200);
  expect(res.body.accepted).toBe(events.length);
}

beforeAll(async () => {
  // A lean visit first, so that in /visits the fat one is the second item.
  const lean = visitCtx('lean');
  await post([visitStarted(lean)]);
  // The fat visit: 2,000 events of ~650 characters each (1.3 MB), alternating two names.
  const fat = visitCtx('fat', 'g-fat', Date.now() - 3_600_000);
  const head = [
    visitStarted(fat, { pageID: 'p1' }),
    ev(fat, 'PageEntered', { pageID: 'p1', data: { title: 'Fat page', referrer: '' } }),
    ev(fat, 'SignIn', { pageID: 'p1', sessionID: 's-fat', data: { email: EMAIL } }),
  ];
  const body = Array.from({ length: 2000 - head.length }, (_, i) =>
    ev(fat, i % 2 === 0 ? 'Even' : 'Odd', { pageID: 'p1', sessionID: 's-fat', data: { i, blob: 'x'.repeat(400) } }),
  );
  const all = [...head, ...body];
  fatIds.push(...all.map((e) => e.eventID));
  for (let i = 0; i < all.length; i += 500) await post(all.slice(i, i + 500));
  const small = Array.from({ length: SMALL_VISITS }, (_, i) => visitStarted(visitCtx(`small-${i}`)));
  smallVisitIds.push(...small.map((e) => e.visitID));
  await post(small);
});

type Res = Awaited<ReturnType<typeof lab.http.get>>;

function expectTooLarge(res: Res, field: string, ...says: string[]): void {
  expect(res.status).toBe(400);
  expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
  expect(res.body.error).toBe('response_too_large');
  expect(res.body.field).toBe(field);
  expect(res.body.message).toMatch(new RegExp(`^${field}: `));
  expect(res.body.message).toContain(`response bound (${BOUND} characters)`);
  for (const s of says) expect(res.body.message).toContain(s);
}

/** Follows Paging-Next from `path` to the end; every answer stays within the bound. */
async function walk(path: string): Promise<string[][]> {
  const sep = path.includes('?') ? '&' : '?';
  const pages: string[][] = [];
  let key: string | null = null;
  for (let guard = 0; guard < 5000; guard++) {
    const res = await lab.http.get(key === null ? path : `${path}${sep}page_key=${encodeURIComponent(key)}`);
    expect(res.status).toBe(200);
    expect(Number(res.headers.get('content-length'))).toBeLessThanOrEqual(BOUND);
    pages.push(res.body.map((x: any) => x.eventID ?? x.visitId ?? x.pageId));
    key = res.headers.get('paging-next');
    if (key === null) return pages;
  }
  throw new Error('paging did not end');
}

describe(`collections come ${DEFAULT_PAGE_SIZE} at a time without page_size`, () => {
  it('a visit\'s events: the first 100, and Paging-Next leads through the rest 100 at a time', async () => {
    const first = await lab.http.get('/server/data/visits/fat/events');
    expect(first.status).toBe(200);
    expect(first.body.map((e: any) => e.eventID)).toEqual(fatIds.slice(0, DEFAULT_PAGE_SIZE));
    expect(first.headers.get('paging-next')).toEqual(expect.any(String));
    const pages = await walk('/server/data/visits/fat/events');
    expect(pages.map((p) => p.length)).toEqual(Array(20).fill(DEFAULT_PAGE_SIZE));
    expect(pages.flat()).toEqual(fatIds);
  });

  it('all visits: 100, then the rest', async () => {
    const pages = await walk('/server/data/visits');
    expect(pages.map((p) => p.length)).toEqual([100, SMALL_VISITS + 2 - 100]);
    expect(pages.flat()).toEqual(['lean', 'fat', ...smallVisitIds]);
  });

  it('a filtered collection pages the same way', async () => {
    const pages = await walk('/server/data/visits/fat/events?eventName=Odd');
    const odd = fatIds.filter((id) => id.endsWith('-Odd'));
    expect(pages.map((p) => p.length)).toEqual([100, 100, 100, 100, 100, 100, 100, 100, 100, 98]);
    expect(pages.flat()).toEqual(odd);
  });
});

describe('paging through everything gives each item exactly once', () => {
  it.each([1, 37, 300])('the fat visit\'s events at page_size=%i', async (size) => {
    const pages = await walk(`/server/data/visits/fat/events?page_size=${size}`);
    expect(pages.flat()).toEqual(fatIds);
    expect(pages.slice(0, -1).every((p) => p.length === size)).toBe(true);
  });

  it('the identity\'s events, filtered, at page_size=250', async () => {
    const pages = await walk(`/server/data/identities/${encodeURIComponent(EMAIL)}/events?page_size=250&eventName=Even`);
    expect(pages.flat()).toEqual(fatIds.filter((id) => id.endsWith('-Even')));
  });
});

describe('an answer past the response bound is a 400 that says how to narrow', () => {
  it('a page too large names page_size and a size that fits', async () => {
    const res = await lab.http.get('/server/data/visits/fat/events?page_size=1000');
    expectTooLarge(res, 'page_size', 'ask for page_size=');
    const fits = Number(/page_size=(\d+) or less/.exec(res.body.message)![1]);
    expect(fits).toBeGreaterThan(300);
    expect(fits).toBeLessThan(1000);
    const ok = await lab.http.get(`/server/data/visits/fat/events?page_size=${fits}`);
    expect(ok.status).toBe(200);
    expect(ok.body.map((e: any) => e.eventID)).toEqual(fatIds.slice(0, fits));
    expectTooLarge(await lab.http.get(`/server/data/visits/fat/events?page_size=${fits + 1}`), 'page_size', `page_size=${fits} or less`);
  });

  it('a visit whose embedded events pass it names include_events_detail and the /events sub-collection', async () => {
    expectTooLarge(
      await lab.http.get('/server/data/visits/fat?include_events_detail=true'),
      'include_events_detail',
      'drop include_events_detail',
      'GET /server/data/visits/fat/events with page_size and its Paging-Next header',
    );
    // The id list alone fits: 2,000 ids are some 50 KB.
    const ids = await lab.http.get('/server/data/visits/fat?include_events=true');
    expect(ids.status).toBe(200);
    expect(ids.body.eventIds).toEqual(fatIds);
    expect(ids.body.events).toBeNull();
  });

  it('a page of visits: page_size when the first visits fit, else the include flag', async () => {
    const res = await lab.http.get('/server/data/visits?include_events_detail=true&page_size=10');
    expectTooLarge(res, 'page_size', 'the first 1 items fit: ask for page_size=1 or less', 'or drop include_events_detail');
    const lean = await lab.http.get('/server/data/visits?include_events_detail=true&page_size=1');
    expect(lean.status).toBe(200);
    expect(lean.body.map((v: any) => v.visitId)).toEqual(['lean']);
    const next = lean.headers.get('paging-next')!;
    expectTooLarge(
      await lab.http.get(`/server/data/visits?include_events_detail=true&page_size=1&page_key=${next}`),
      'include_events_detail',
      'GET /server/data/visits/{visitId}/events',
    );
    // Without the detail flag the same page is fine.
    const plain = await lab.http.get(`/server/data/visits?page_size=1&page_key=${next}`);
    expect(plain.status).toBe(200);
    expect(plain.body.map((v: any) => v.visitId)).toEqual(['fat']);
  });

  it('a page whose embedded events pass it names include_events_detail', async () => {
    expectTooLarge(await lab.http.get('/server/data/visits/fat/pages?include_events_detail=true'), 'include_events_detail', '/server/data/visits/fat/events');
    const ids = await lab.http.get('/server/data/visits/fat/pages?include_events=true');
    expect(ids.status).toBe(200);
    expect(ids.body[0].eventIds).toEqual(fatIds);
  });

  it('an identity names the innermost flag and its own /events, with every flag to drop', async () => {
    const path = `/server/data/identities/${encodeURIComponent(EMAIL)}`;
    expectTooLarge(await lab.http.get(`${path}?include_events_detail=true`), 'include_events_detail', `GET ${path}/events`);
    expectTooLarge(
      await lab.http.get(`${path}?include_visits_detail=true&include_events_detail=true`),
      'include_events_detail',
      'drop include_visits_detail and include_events_detail',
    );
    const fine = await lab.http.get(`${path}?include_visits_detail=true&include_events=true`);
    expect(fine.status).toBe(200);
    expect(fine.body[0].visits[0].eventIds).toEqual(fatIds);
    expect(fine.body[0].eventIds).toEqual(fatIds);
  });

  it('the companion answers on after it', async () => {
    expect((await lab.http.get('/lab/health')).status).toBe(200);
    expect((await lab.http.get('/server/data/visits/lean')).status).toBe(200);
  });
});

describe('id lists count towards the bound and are never cut', () => {
  // A companion of its own with a bound of 8 Ki characters: 1,000 event ids (some 15 characters
  // each with their quotes and commas) pass it.
  const SMALL_BOUND = 8 * 1024;
  beforeAll(() => {
    process.env[MAX_RESPONSE_ENV] = String(SMALL_BOUND);
  });
  const small = useCompanion({}, 'all');
  const ids: string[] = [];
  beforeAll(async () => {
    process.env[MAX_RESPONSE_ENV] = String(BOUND);
    const c = visitCtx('many-ids');
    const events = [visitStarted(c), ev(c, 'SignIn', { pageID: 'p0', sessionID: 's-ids', data: { userId: 'ids-user' } })];
    for (let i = 0; events.length < 1000; i++) events.push(ev(c, 'Tick', { pageID: 'p0', sessionID: 's-ids' }));
    ids.push(...events.map((e) => e.eventID));
    const res = await small.http.post('/server/events', events);
    expect(res.body.accepted).toBe(1000);
  });

  it('a visit\'s eventIds past the bound: 400 naming include_events and the /events sub-collection', async () => {
    const res = await small.http.get('/server/data/visits/many-ids?include_events=true');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'response_too_large', field: 'include_events' });
    expect(res.body.message).toContain(`response bound (${SMALL_BOUND} characters)`);
    expect(res.body.message).toContain('GET /server/data/visits/many-ids/events with page_size');
    // Paged, every id is there, once.
    const seen: string[] = [];
    let key: string | null = null;
    do {
      const page = await small.http.get(`/server/data/visits/many-ids/events?page_size=10${key ? `&page_key=${key}` : ''}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.map((e: any) => e.eventID));
      key = page.headers.get('paging-next');
    } while (key);
    expect(seen).toEqual(ids);
  });

  it('an identity\'s eventIds past the bound name its own /events', async () => {
    const res = await small.http.get('/server/data/identities/ids-user?include_events=true');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'response_too_large', field: 'include_events' });
    expect(res.body.message).toContain('GET /server/data/identities/ids-user/events');
  });

  it('the bound is the companion\'s own: the other companion answers the same request', async () => {
    expect((await small.http.get('/server/data/visits/many-ids')).status).toBe(200);
    const big = await lab.http.get('/server/data/visits/fat?include_events=true');
    expect(big.status).toBe(200);
  });
});

describe(`${MAX_RESPONSE_ENV} is checked at start-up`, () => {
  it.each(['lots', '100', '-1'])('%s: the companion refuses to start, naming the variable', (value) => {
    const dataDir = tempDir();
    try {
      const r = runCli(['--port', '0', '--data', dataDir], { ...process.env, [MAX_RESPONSE_ENV]: value });
      expect(r.status).toBe(1);
      expect(r.output).toContain(`${MAX_RESPONSE_ENV}=${value}: must be a whole number of characters, 1024 or more`);
    } finally {
      removeDir(dataDir);
    }
  });
});
