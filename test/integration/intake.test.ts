// Event intake (POST /server/events) over real HTTP, accepted input: per-event answers,
// duplicates never stored twice (across requests, within one, and under concurrency), and a
// body read as JSON whatever its Content-Type. Refused input: intake-rejections.test.ts.
import { describe, expect, it } from 'vitest';
import type { GtEvent } from '../../protocol';
import { ZERO_COUNTS, counts, postRaw, storedEventIds, storedEvents } from '../helpers/lab';
import { useCompanion } from '../helpers/use-companion';
import { ev, pageEntered, visitCtx, visitStarted, type VisitCtx } from '../helpers/events';

const lab = useCompanion();

function business(c: VisitCtx, name: string, extra: Partial<GtEvent> = {}): GtEvent {
  return ev(c, name, { pageID: 'p1', category: 'shop', ...extra });
}

describe('POST /server/events: accepted events', () => {
  it('takes one event object, answers per event and stores it with serverTimestamp and browserPageID', async () => {
    const c = visitCtx('intake-single');
    const start = visitStarted(c, { pageID: 'home', data: { userAgent: 'Mozilla/5.0 Firefox/128.0' } });
    const before = Date.now();
    const res = await lab.http.post('/server/events', start);
    const after = Date.now();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.body).toEqual({
      accepted: 1,
      duplicate: 0,
      rejected: 0,
      results: [{ index: 0, eventID: start.eventID, status: 'accepted' }],
    });
    const stored = await storedEvents(lab.http, 'intake-single');
    expect(stored).toHaveLength(1);
    const { serverTimestamp, ...rest } = stored[0];
    // Served with pageID naming its page resource, the browser's id in browserPageID, category "".
    expect(rest).toEqual({ ...start, pageID: 'intake-single:home', browserPageID: 'home', category: '', visitorState: 'Anonymous' });
    expect(serverTimestamp).toBeGreaterThanOrEqual(before);
    expect(serverTimestamp).toBeLessThanOrEqual(after);
    expect(await counts(lab.http)).toEqual({ ...ZERO_COUNTS, visits: 1, events: 1 });
  });

  it('takes an array of events, in order, each with its own result', async () => {
    const c = visitCtx('intake-array');
    const events = [visitStarted(c), pageEntered(c, 'p1'), business(c, 'AddToCart')];
    const res = await lab.http.post('/server/events', events);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      accepted: 3,
      duplicate: 0,
      rejected: 0,
      results: events.map((e, index) => ({ index, eventID: e.eventID, status: 'accepted' })),
    });
    expect(await storedEventIds(lab.http, 'intake-array')).toEqual(events.map((e) => e.eventID));
    expect(await counts(lab.http)).toEqual({ ...ZERO_COUNTS, visits: 1, pages: 1, events: 3 });
  });

  it('drops fields outside the contract but keeps extra information in data', async () => {
    const c = visitCtx('intake-extra');
    const e = { ...business(c, 'AddToCart', { data: { sku: 'K-42', nested: { qty: 2 } } }), color: 'red', serverTimestamp: 1 };
    const res = await lab.http.post('/server/events', e);
    expect(res.status).toBe(200);
    expect(res.body.accepted).toBe(1);
    const [stored] = await storedEvents(lab.http, 'intake-extra');
    expect(stored).not.toHaveProperty('color');
    expect(stored.serverTimestamp).not.toBe(1);
    expect(stored.data).toEqual({ sku: 'K-42', nested: { qty: 2 } });
  });
});

describe('POST /server/events: duplicates are never stored twice', () => {
  it('answers duplicate for an eventID already stored by an earlier request', async () => {
    const c = visitCtx('intake-dup-across');
    const events = [visitStarted(c), pageEntered(c, 'p1')];
    expect((await lab.http.post('/server/events', events)).body.accepted).toBe(2);
    const before = await counts(lab.http);
    // Same ids again, even stamped anew (another url): the first one stored stays. (Another
    // event under a stored eventID is refused: intake-decisions.test.ts.)
    const again = await lab.http.post('/server/events', [{ ...events[0] }, { ...events[1], url: 'http://shop.test/changed' }]);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({
      accepted: 0,
      duplicate: 2,
      rejected: 0,
      results: events.map((e, index) => ({ index, eventID: e.eventID, status: 'duplicate' })),
    });
    expect(await counts(lab.http)).toEqual(before);
    expect(await storedEventIds(lab.http, 'intake-dup-across')).toEqual(events.map((e) => e.eventID));
    const stored = await storedEvents(lab.http, 'intake-dup-across');
    expect(stored[1].url).toBe(events[1].url);
  });

  it('stores an eventID given twice in one request once', async () => {
    const c = visitCtx('intake-dup-within');
    const start = visitStarted(c);
    const add = business(c, 'AddToCart');
    const res = await lab.http.post('/server/events', [start, add, add, { ...add }, start]);
    expect(res.status).toBe(200);
    expect(res.body.accepted).toBe(2);
    expect(res.body.duplicate).toBe(3);
    expect(res.body.results.map((r: any) => r.status)).toEqual(['accepted', 'accepted', 'duplicate', 'duplicate', 'duplicate']);
    expect(await storedEventIds(lab.http, 'intake-dup-within')).toEqual([start.eventID, add.eventID]);
    expect(await counts(lab.http)).toEqual({ ...ZERO_COUNTS, visits: 1, events: 2 });
  });

  it('stores an event posted concurrently by many requests exactly once', async () => {
    const c = visitCtx('intake-concurrent');
    const start = visitStarted(c);
    const add = business(c, 'AddToCart');
    const answers = await Promise.all(Array.from({ length: 12 }, () => lab.http.post('/server/events', [start, add])));
    for (const a of answers) expect(a.status).toBe(200);
    const statuses = answers.flatMap((a) => a.body.results.map((r: any) => `${r.eventID}:${r.status}`));
    expect(statuses.filter((s) => s === `${start.eventID}:accepted`)).toHaveLength(1);
    expect(statuses.filter((s) => s === `${add.eventID}:accepted`)).toHaveLength(1);
    expect(statuses.filter((s) => s.endsWith(':duplicate'))).toHaveLength(22);
    expect(await storedEventIds(lab.http, 'intake-concurrent')).toEqual(
      statuses.filter((s) => s.endsWith(':accepted')).map((s) => s.slice(0, s.lastIndexOf(':'))),
    );
    expect(new Set(await storedEventIds(lab.http, 'intake-concurrent'))).toEqual(new Set([start.eventID, add.eventID]));
    expect(await counts(lab.http)).toEqual({ ...ZERO_COUNTS, visits: 1, events: 2 });
  });

  it('keeps a duplicate answered while the first copy is still being written (single events, concurrently)', async () => {
    const c = visitCtx('intake-concurrent-single');
    const start = visitStarted(c);
    const answers = await Promise.all(Array.from({ length: 20 }, () => lab.http.post('/server/events', start)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect(answers.filter((a) => a.body.accepted === 1)).toHaveLength(1);
    expect(answers.filter((a) => a.body.duplicate === 1)).toHaveLength(19);
    expect(await storedEventIds(lab.http, 'intake-concurrent-single')).toEqual([start.eventID]);
    expect((await counts(lab.http)).events).toBe(1);
  });
});

describe('POST /server/events: the body is JSON whatever its Content-Type', () => {
  it('reads a form-encoded body (curl -d) as JSON', async () => {
    const c = visitCtx('intake-form');
    const events = [visitStarted(c), pageEntered(c, 'p1')];
    const res = await postRaw(lab.companion.url, JSON.stringify(events), 'application/x-www-form-urlencoded');
    expect(res.status).toBe(200);
    expect(res.body.accepted).toBe(2);
    expect(await storedEventIds(lab.http, 'intake-form')).toEqual(events.map((e) => e.eventID));
  });

  it('reads text/plain and a missing Content-Type as JSON', async () => {
    const c = visitCtx('intake-text');
    const a = visitStarted(c);
    const b = pageEntered(c, 'p1');
    expect((await postRaw(lab.companion.url, JSON.stringify(a), 'text/plain')).body.accepted).toBe(1);
    const blob = await fetch(`${lab.companion.url}/server/events`, { method: 'POST', body: new Blob([JSON.stringify(b)]) });
    expect(blob.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect((await blob.json()).accepted).toBe(1);
    expect(await storedEventIds(lab.http, 'intake-text')).toEqual([a.eventID, b.eventID]);
  });
});
