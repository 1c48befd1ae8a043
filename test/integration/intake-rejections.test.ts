// Event intake (POST /server/events) over real HTTP, refused input: per-event rejections that
// name the field, and whole-request refusals (bad JSON, empty, too many, too big) that store
// nothing. Accepted input: intake.test.ts.
import { describe, expect, it } from 'vitest';
import type { GtEvent } from '../../protocol';
import { ZERO_COUNTS, counts, postRaw, storedEventIds } from '../helpers/lab';
import { useCompanion } from '../helpers/use-companion';
import { ev, pageEntered, signIn, visitCtx, visitStarted, type VisitCtx } from '../helpers/events';

const lab = useCompanion();

function business(c: VisitCtx, name: string, extra: Partial<GtEvent> = {}): GtEvent {
  return ev(c, name, { pageID: 'p1', category: 'shop', ...extra });
}

describe('POST /server/events: per-event rejections name the field', () => {
  it('answers accepted, duplicate and rejected per event, and stores only the accepted ones', async () => {
    const c = visitCtx('intake-mixed');
    const good1 = visitStarted(c);
    const good2 = pageEntered(c, 'p1');
    const noType: Record<string, unknown> = { ...business(c, 'AddToCart') };
    delete noType.eventType;
    const anonymousSignIn = signIn(c, { firstName: 'Ann' });
    const pageWithoutId: Record<string, unknown> = { ...ev(c, 'PageEntered') };
    delete pageWithoutId.pageID;
    const unknownSystem = ev(c, 'PageScrolled', { eventType: 'SYSTEM' });
    const badTimestamp = { ...business(c, 'AddToCart'), timestamp: 'yesterday' };
    const userInfoNoUser = ev(c, 'UserInfo', { pageID: 'p1', data: { email: 'ann@shop.test' } });
    const noVisit: Record<string, unknown> = { ...business(c, 'AddToCart') };
    delete noVisit.visitID;
    const body = [good1, good1, good2, noType, anonymousSignIn, pageWithoutId, unknownSystem, badTimestamp, userInfoNoUser, noVisit, 42];
    const res = await lab.http.post('/server/events', body);
    expect(res.status).toBe(200);
    // What GWE would store but cannot use is stored, with a warning (intake-warnings.test.ts).
    expect(res.body.accepted).toBe(5);
    expect(res.body.duplicate).toBe(1);
    expect(res.body.rejected).toBe(5);
    const brief = res.body.results.map((r: any) => ({ index: r.index, eventID: r.eventID, status: r.status, field: r.field ?? r.warnings?.[0].field }));
    expect(brief).toEqual([
      { index: 0, eventID: good1.eventID, status: 'accepted', field: undefined },
      { index: 1, eventID: good1.eventID, status: 'duplicate', field: undefined },
      { index: 2, eventID: good2.eventID, status: 'accepted', field: undefined },
      { index: 3, eventID: noType.eventID, status: 'rejected', field: 'eventType' },
      { index: 4, eventID: anonymousSignIn.eventID, status: 'accepted', field: 'data.userId' },
      { index: 5, eventID: pageWithoutId.eventID, status: 'rejected', field: 'pageID' },
      { index: 6, eventID: unknownSystem.eventID, status: 'accepted', field: 'eventName' },
      { index: 7, eventID: badTimestamp.eventID, status: 'rejected', field: 'timestamp' },
      { index: 8, eventID: userInfoNoUser.eventID, status: 'accepted', field: 'data.userId' },
      { index: 9, eventID: noVisit.eventID, status: 'rejected', field: 'visitID' },
      { index: 10, eventID: null, status: 'rejected', field: 'event' },
    ]);
    for (const r of res.body.results.filter((x: any) => x.status === 'rejected')) {
      expect(typeof r.reason).toBe('string');
      expect(r.reason.length).toBeGreaterThan(0);
    }
    expect(await storedEventIds(lab.http, 'intake-mixed')).toEqual([good1.eventID, good2.eventID, anonymousSignIn.eventID, unknownSystem.eventID, userInfoNoUser.eventID]);
    expect(await counts(lab.http)).toEqual({ ...ZERO_COUNTS, visits: 1, pages: 1, events: 5 });
  });

  it('rejects prototype-polluting keys and over-deep data, naming the key', async () => {
    const c = visitCtx('intake-proto');
    const base = business(c, 'AddToCart');
    // Raw JSON: a JS object literal would turn "__proto__" into a prototype, not a key.
    const topLevel = JSON.stringify({ ...base, eventID: 'proto-top' }).replace(/^\{/, '{"__proto__":{"polluted":true},');
    const ctor = JSON.stringify({ ...base, eventID: 'proto-ctor', data: { constructor: { prototype: { x: 1 } } } });
    const proto = JSON.stringify({ ...base, eventID: 'proto-prototype', data: { list: [{ prototype: 1 }] } });
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 20; i++) deep = { a: deep };
    const tooDeep = JSON.stringify({ ...base, eventID: 'too-deep', data: deep });
    const res = await postRaw(lab.companion.url, `[${topLevel},${ctor},${proto},${tooDeep}]`, 'application/json');
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('__proto__');
    expect(res.body.results.map((r: any) => [r.eventID, r.status, r.field])).toEqual([
      ['proto-top', 'rejected', '__proto__'],
      ['proto-ctor', 'rejected', 'data.constructor'],
      ['proto-prototype', 'rejected', 'data.list[0].prototype'],
      ['too-deep', 'rejected', 'data' + '.a'.repeat(16)],
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await counts(lab.http)).toEqual(ZERO_COUNTS);
  });

  it('rejects a "__proto__" key inside data, naming data.__proto__ (docs/identification.md, Intake)', async () => {
    const c = visitCtx('intake-proto-data');
    const base = business(c, 'AddToCart', { eventID: 'proto-data', data: { ok: 1 } });
    const inData = JSON.stringify(base).replace('"data":{', '"data":{"__proto__":{"polluted":true},');
    const res = await postRaw(lab.companion.url, inData, 'application/json');
    expect(res.body.results).toEqual([
      { index: 0, eventID: 'proto-data', status: 'rejected', field: 'data.__proto__', reason: expect.any(String) },
    ]);
    expect(res.status).toBe(400);
    expect(await counts(lab.http)).toEqual(ZERO_COUNTS);
  });

  it('answers 400 with the first rejection\'s field when every event is rejected, and stores nothing', async () => {
    const c = visitCtx('intake-all-bad');
    const first: Record<string, unknown> = { ...business(c, 'AddToCart') };
    delete first.eventID;
    const second = signIn(c, { userId: '__proto__' });
    const res = await lab.http.post('/server/events', [first, second]);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('bad_request');
    expect(res.body.field).toBe('eventID');
    expect(res.body.message).toContain('eventID');
    expect(res.body.accepted).toBe(0);
    expect(res.body.duplicate).toBe(0);
    expect(res.body.rejected).toBe(2);
    expect(res.body.results.map((r: any) => [r.index, r.eventID, r.status, r.field])).toEqual([
      [0, null, 'rejected', 'eventID'],
      [1, second.eventID, 'rejected', 'data.userId'],
    ]);
    expect(await counts(lab.http)).toEqual(ZERO_COUNTS);
    expect((await lab.http.get('/server/data/visits')).status).toBe(204);
  });

  it('answers 400 naming "event" for a JSON body that is not an event (null, a number)', async () => {
    for (const body of ['null', '42', '"text"', '[[]]']) {
      const res = await postRaw(lab.companion.url, body, 'application/json');
      expect(res.status, body).toBe(400);
      expect(res.body.field, body).toBe('event');
      expect(res.body.rejected, body).toBe(1);
    }
    expect(await counts(lab.http)).toEqual(ZERO_COUNTS);
  });
});

describe('POST /server/events: bodies refused as a whole store nothing', () => {
  it('answers malformed JSON with 400 and a JSON body naming "body"', async () => {
    const c = visitCtx('intake-malformed');
    const text = JSON.stringify([visitStarted(c)]).slice(0, -5);
    const res = await postRaw(lab.companion.url, text, 'application/json');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.body.error).toBe('bad_request');
    expect(res.body.field).toBe('body');
    expect(res.body.message).toMatch(/^request body: not JSON/);
    expect(await counts(lab.http)).toEqual(ZERO_COUNTS);
  });

  it('answers an empty body (none, empty, blank) with 400 naming "body"', async () => {
    for (const [body, type] of [
      [undefined, undefined],
      ['', 'application/json'],
      ['   \n', 'application/json'],
    ] as const) {
      const res = await postRaw(lab.companion.url, body, type);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body, JSON.stringify(body)).toEqual({ error: 'bad_request', message: 'request body: empty, expected JSON', field: 'body' });
    }
    expect(await counts(lab.http)).toEqual(ZERO_COUNTS);
  });

  it('answers an empty array with 400 naming "body"', async () => {
    const res = await lab.http.post('/server/events', []);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'bad_request', message: 'request body: an empty array has no events', field: 'body' });
    expect(await counts(lab.http)).toEqual(ZERO_COUNTS);
  });

  it('takes 1,000 events in one request and refuses 1,001 with 413, storing none of them', async () => {
    const c = visitCtx('intake-many');
    const thousand = [visitStarted(c), ...Array.from({ length: 999 }, () => business(c, 'Tick'))];
    const ok = await lab.http.post('/server/events', thousand);
    expect(ok.status).toBe(200);
    expect(ok.body.accepted).toBe(1000);
    expect(ok.body.results).toHaveLength(1000);

    const d = visitCtx('intake-too-many');
    const tooMany = [visitStarted(d), ...Array.from({ length: 1000 }, () => business(d, 'Tick'))];
    const res = await lab.http.post('/server/events', tooMany);
    expect(res.status).toBe(413);
    expect(res.body.error).toBe('too_large');
    expect(res.body.field).toBe('body');
    expect(res.body.message).toContain('1000');
    expect(await counts(lab.http)).toEqual({ ...ZERO_COUNTS, visits: 1, events: 1000 });
    expect((await lab.http.get('/server/data/visits/intake-too-many')).status).toBe(404);
  });

  it('refuses a body over 1 MB with 413 and a JSON error, storing nothing', async () => {
    const c = visitCtx('intake-huge');
    const huge = business(c, 'AddToCart', { data: { blob: 'x'.repeat(1024 * 1024 + 10) } });
    const res = await lab.http.post('/server/events', [visitStarted(c), huge]);
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.body.error).toBe('too_large');
    expect(res.body.field).toBe('body');
    expect(await counts(lab.http)).toEqual(ZERO_COUNTS);
    // A body just under the limit is read.
    const d = visitCtx('intake-big');
    const big = business(d, 'AddToCart', { data: { blob: 'x'.repeat(1000 * 1000) } });
    expect((await lab.http.post('/server/events', big)).status).toBe(200);
  });

  it('leaves the counts unchanged after a rejected request, then stores a good one', async () => {
    const c = visitCtx('intake-after-reject');
    const start = visitStarted(c);
    await lab.http.post('/server/events', start);
    const before = await counts(lab.http);
    expect((await lab.http.post('/server/events', [{ ...pageEntered(c, 'p1'), eventType: 'OTHER' }])).status).toBe(400);
    expect((await postRaw(lab.companion.url, '{"eventType":', 'application/json')).status).toBe(400);
    expect((await lab.http.post('/server/events', [])).status).toBe(400);
    expect(await counts(lab.http)).toEqual(before);
    expect(await storedEventIds(lab.http, 'intake-after-reject')).toEqual([start.eventID]);
  });
});
