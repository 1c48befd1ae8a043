// Property-based fuzzing (fast-check, one fixed seed): about 1,500 generated malformed and
// hostile requests to intake, every History API route and the lab's contacts. Each must be
// answered within DEADLINE_MS by a 4xx JSON error naming the culprit (never a 5xx, never a
// hang), and leave the store exactly as it was. Every input is invalid by construction (the
// generators, test/helpers/fuzz.ts and fuzz-bodies.ts, say why), so no 200 is ever right.
// The hand-picked cases stay in intake-rejections, errors and history/params-paging.
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  asciiJson, BAD_UTF8, badBatch, badContact, badEvent, badVisit, blankBody, deepBody, deepText, goodContact, goodEvent, goodVisit,
  notJson, toJson, type Batch, type DeepKind,
} from '../helpers/fuzz-bodies';
import {
  dataDirDigest, expectRefusal, expectStoreUnchanged, fieldMatches, hostileQuery, ignoredQuery, hostileSegment, runs, SEEDED, seedStore, send,
  storeFingerprint, Tally, validQuery, type FieldWant, type Fingerprint, type Query, type QuerySpec, type Segment,
} from '../helpers/fuzz';
import type { RawAnswer } from '../helpers/http';
import { useCompanion } from '../helpers/use-companion';

const lab = useCompanion({}, 'all');
const tally = new Tally();
let before: Fingerprint;

beforeAll(async () => {
  await seedStore(lab);
  before = await storeFingerprint(lab);
});

type Check = (res: RawAnswer) => void;
interface Case {
  path?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  check: Check;
}

const MB = 1024 * 1024;
/** Content types the body reader reads as UTF-8 JSON all the same (it ignores the type). */
const UTF8_TYPES = [undefined, 'application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x', 'application/xml', '*/*', 'garbage', 'application/json; charset="UTF-8"', 'text/html; charset=utf8'];

const refused = (status: number, error: string, field?: FieldWant, message?: RegExp): Check => (res) => {
  expectRefusal(res, status, error, field);
  if (message) expect(res.body.message).toMatch(message);
};
const badBody = (message?: RegExp) => refused(400, 'bad_request', 'body', message);
const tooLarge = refused(413, 'too_large', 'body');
/** A URL that does not decode: about the request, so no field and not "request body". */
const badUrl = refused(400, 'bad_request', null, /^request: /);

/** intake's answer when every event is rejected: per event, the field its breaker names. */
const batchRefused = (fields: FieldWant[]): Check => (res) => {
  expectRefusal(res, 400, 'bad_request');
  const { accepted, duplicate, rejected, results, field } = res.body;
  expect([accepted, duplicate, rejected]).toEqual([0, 0, fields.length]);
  expect(results).toHaveLength(fields.length);
  fields.forEach((want, i) => {
    const r = results[i];
    expect([r.index, r.status]).toEqual([i, 'rejected']);
    expect(fieldMatches(r.field, want), `#${i} ${JSON.stringify(r)}; wanted ${JSON.stringify(want)}`).toBe(true);
    expect(typeof r.reason === 'string' && r.reason !== '').toBe(true);
  });
  expect(field).toBe(results[0].field);
};

/**
 * 17 to 100,000 levels as text; what each route names for it depends on its top level (an array
 * of one item, the unknown key "a", `__proto__`). `events`: answered as intake answers.
 */
const deepCases = (fieldOf: Record<DeepKind, FieldWant>, events = false, wrap = (deep: string) => deep) =>
  deepBody.map(({ kind, depth }): Case => {
    const body = wrap(deepText(kind, depth));
    const named = events ? batchRefused([fieldOf[kind]]) : refused(400, 'bad_request', fieldOf[kind]);
    return { body, check: Buffer.byteLength(body) > MB ? tooLarge : named };
  });
const DEEP_EVENTS: Record<DeepKind, FieldWant> = { array: 'event', object: 'eventType', mixed: 'eventType', proto: '__proto__' };
const IN_DATA = { under: 'data' };
const DEEP_IN_DATA: Record<DeepKind, FieldWant> = { array: IN_DATA, object: IN_DATA, mixed: IN_DATA, proto: IN_DATA };

/** Not JSON, blank, or an empty array: the same answer from every JSON route. */
const unreadable = (emptyArray: RegExp) =>
  fc.oneof(
    notJson.map((body): Case => ({ body, check: badBody(/^request body: not JSON/) })),
    blankBody.map((body): Case => ({ body, check: badBody(/^request body: empty/) })),
    fc.constantFrom('[]', ' [ ]\n').map((body): Case => ({ body, check: badBody(emptyArray) })),
    fc.constantFrom(...BAD_UTF8).map((bytes): Case => ({ body: Buffer.concat([Buffer.from('['), bytes, Buffer.from(']')]), check: badBody(/not JSON/) })),
  );

/** Sends every case to one route (with any of UTF8_TYPES), checking the data folder after each. */
async function fuzzWrites(route: string, defaultPath: string, cases: fc.Arbitrary<Case>, numRuns: number) {
  const property = fc.asyncProperty(cases, fc.constantFrom(...UTF8_TYPES), async (c, type) => {
    const headers = { ...(type && !c.headers ? { 'content-type': type } : {}), ...c.headers };
    c.check(await send(lab, tally, route, { method: 'POST', path: c.path ?? defaultPath, headers, body: c.body }));
    expect(dataDirDigest(lab.companion.dataDir)).toEqual(before.files);
  });
  await fc.assert(property, runs(numRuns));
  await expectStoreUnchanged(lab, before);
}

// Charsets: read as ASCII all the same; decoded to garbage; unknown to the body reader.
const SAME_CHARSETS = ['utf-8', 'UTF8', 'latin1', 'iso-8859-1', 'us-ascii', 'windows-1252', 'binary', 'cesu-8', 'koi8-r', '', '"utf-8"'];
const GARBLING_CHARSETS = ['utf-16', 'utf-16le', 'utf-16be', 'ucs-2', 'utf-32', 'base64', 'hex'];
const UNKNOWN_CHARSETS = ['koi8-r-unknown', 'x-fuzz', 'ebcdic', 'cp037', 'utf-9'];
// Content-Encodings the body reader inflates (its name is read case-insensitively).
const ZIPS: Record<string, (text: string) => Buffer> = { gzip: gzipSync, GZIP: gzipSync, deflate: deflateSync, br: brotliCompressSync };

describe('POST /server/events', () => {
  it('refuses batches of invalid events, naming each one\'s field, whatever the Content-Type', async () => {
    await fuzzWrites('POST /server/events', '/server/events', badBatch().map((b): Case => ({ body: b.text, check: batchRefused(b.fields) })), 300);
  }, 60_000);

  it('refuses whole bodies: not JSON, blank, too deep, too many, too big, undecodable, badly compressed', async () => {
    const asBytes = (b: Batch) => asciiJson(toJson(b.items));
    const cases = fc.oneof(
      unreadable(/empty array/),
      deepCases(DEEP_EVENTS, true),
      deepCases(DEEP_IN_DATA, true, (d) => `{"eventType":"BUSINESS","eventName":"deep","eventID":"deep","timestamp":1,"globalVisitID":"g","visitID":"v","data":${d}}`),
      fc.integer({ min: 1001, max: 1500 }).map((n): Case => ({ body: `[${Array(n).fill('null').join(',')}]`, check: refused(413, 'too_large', 'body', /1000/) })),
      fc.constant<Case>({ body: `[${Array(1000).fill('0').join(',')}]`, check: batchRefused(Array(1000).fill('event')) }),
      fc.integer({ min: MB - 3, max: MB + 300_000 }).map((n): Case => ({ body: `["${'x'.repeat(n)}"]`, check: tooLarge })),
      fc.tuple(badBatch(), fc.constantFrom(...SAME_CHARSETS, ...GARBLING_CHARSETS, ...UNKNOWN_CHARSETS)).map(([b, cs]): Case => ({
        headers: { 'content-type': `application/json; charset=${cs}` },
        body: asBytes(b),
        check: SAME_CHARSETS.includes(cs) ? batchRefused(b.fields) : GARBLING_CHARSETS.includes(cs) ? badBody(/not JSON/) : refused(415, 'unsupported_media_type', 'body'),
      })),
      fc.tuple(badBatch(), fc.constantFrom(...Object.keys(ZIPS))).map(([b, enc]): Case => ({
        headers: { 'content-encoding': enc },
        body: ZIPS[enc](b.text),
        check: batchRefused(b.fields),
      })),
      fc.tuple(fc.constantFrom('gzip', 'deflate', 'br'), fc.oneof(fc.constant('garbage garbage'), fc.string({ minLength: 1 }))).map(([enc, body]): Case => ({ headers: { 'content-encoding': enc }, body, check: badBody() })),
      badBatch().map((b): Case => ({ headers: { 'content-encoding': 'gzip' }, body: gzipSync(b.text).subarray(0, 12), check: badBody() })),
      fc.constant<Case>({ headers: { 'content-encoding': 'gzip' }, body: gzipSync(`["${'x'.repeat(2 * MB)}"]`), check: tooLarge }),
      fc.constantFrom('compress', 'x-gzip', 'identity, gzip', 'gzip, gzip', 'foo').map((enc): Case => ({ headers: { 'content-encoding': enc }, body: '[1]', check: refused(415, 'unsupported_media_type', 'body') })),
      fc.tuple(badBatch(), fc.constantFrom(...BAD_UTF8)).map(([b, bytes]): Case => ({
        body: Buffer.concat([Buffer.from('[{"junk":"'), bytes, Buffer.from(`"}${b.items.map((i) => `,${toJson(i)}`).join('')}]`)]),
        check: batchRefused(['eventType', ...b.fields]),
      })),
    );
    await fuzzWrites('POST /server/events (whole body)', '/server/events', cases, 200);
  }, 60_000);
});

describe('History API writes', () => {
  const visit = SEEDED.visits[0];
  const noQuery: QuerySpec = {};

  it('POST /server/data/visits refuses invalid visits and an existing id (unknown query parameters ignored)', async () => {
    const cases = fc.oneof(
      badVisit.map((b): Case => ({ body: toJson(b.item), check: refused(400, 'bad_request', b.field) })),
      fc.tuple(fc.constantFrom(...SEEDED.visits), goodVisit).map(([id, v]): Case => ({ body: toJson({ ...v, visitId: id }), check: refused(409, 'conflict', 'visitId') })),
      fc.constantFrom('[{}]', 'null', '5', '"s"', 'true').map((body): Case => ({ body, check: badBody(/JSON object/) })),
      deepCases({ array: 'body', object: 'a', mixed: 'body', proto: '__proto__' }),
      unreadable(/JSON object/),
      // Unknown parameters are ignored (docs/api.md): the body's own refusal is the answer.
      fc.tuple(ignoredQuery(noQuery), badVisit).map(([q, b]): Case => ({ path: `/server/data/visits${q}`, body: toJson(b.item), check: refused(400, 'bad_request', b.field) })),
    );
    await fuzzWrites('POST /server/data/visits', '/server/data/visits', cases, 150);
  }, 60_000);

  it('POST /server/data/visits/{id}/events refuses invalid events, another visit\'s ids, unknown visits (unknown query parameters ignored)', async () => {
    const path = `/server/data/visits/${visit}/events`;
    const mismatch = fc
      .tuple(fc.array(badEvent(true), { maxLength: 3 }), goodEvent(true), fc.constantFrom('visitID', 'globalVisitID'), fc.oneof(fc.constant(null), fc.integer(), fc.constantFrom('fuzz-B', 'g-fuzz-B', 'FUZZ-A', ' fuzz-A')), fc.nat(), fc.boolean())
      .map(([bad, good, key, value, at, asArray]): Case => {
        const items = bad.map((b) => b.item);
        const i = at % (items.length + 1);
        items.splice(i, 0, { ...good, [key]: value });
        const single = items.length === 1 && !asArray;
        return { body: toJson(single ? items[0] : items), check: refused(400, 'bad_request', single ? key : `[${i}].${key}`, /is not the visit/) };
      });
    const cases = fc.oneof(
      badBatch(true).map((b): Case => ({ body: b.text, check: batchRefused(b.fields) })),
      mismatch,
      fc.tuple(hostileSegment, fc.oneof(goodEvent(true).map(toJson), badBatch(true).map((b) => b.text))).map(([seg, body]): Case => ({
        path: `/server/data/visits/${seg.raw}/events`, body, check: seg.decoded === null ? badUrl : refused(404, 'not_found'),
      })),
      fc.tuple(ignoredQuery(noQuery), badBatch(true)).map(([q, b]): Case => ({ path: `${path}${q}`, body: b.text, check: batchRefused(b.fields) })),
      deepCases(DEEP_EVENTS, true),
      unreadable(/empty array/),
      fc.integer({ min: 1001, max: 1200 }).map((n): Case => ({ body: `[${Array(n).fill('{}').join(',')}]`, check: tooLarge })),
    );
    await fuzzWrites('POST /server/data/visits/{id}/events', path, cases, 150);
  }, 60_000);
});

describe('History API reads', () => {
  const bools = (...kinds: string[]): QuerySpec => Object.fromEntries(kinds.flatMap((k) => [[`include_${k}`, 'bool'], [`include_${k}_detail`, 'bool']]));
  const PAGING: QuerySpec = { page_size: 'pageSize', page_key: 'pageKey' };
  const VISIT_FILTERS: QuerySpec = { age: 'age', globalVisitID: 'text', userAgent: 'text' };
  const PAGE_FILTERS: QuerySpec = { age: 'age', url: 'text', title: 'text', category: 'text' };
  const EVENT_FILTERS: QuerySpec = { age: 'age', eventName: 'text', eventType: ['SYSTEM', 'BUSINESS'], category: 'text', url: 'text' };
  // The parameters each route takes (docs/api.md); `{id}` is an identity's, a visit's or a page's.
  const ROUTES: [string, QuerySpec][] = [
    ['/identities', { ...bools('visits', 'pages', 'events'), ...PAGING, location: 'text', userAgent: 'text' }],
    ['/identities/{id}', bools('visits', 'pages', 'events')],
    ['/identities/{id}/visits', { ...bools('pages', 'events'), ...PAGING, ...VISIT_FILTERS }],
    ['/identities/{id}/pages', { ...bools('events'), ...PAGING, ...PAGE_FILTERS }],
    ['/identities/{id}/events', { ...PAGING, ...EVENT_FILTERS, globalVisitID: 'text' }],
    ['/visits', { ...bools('pages', 'events'), ...PAGING, ...VISIT_FILTERS }],
    ['/visits/{id}', bools('pages', 'events')],
    ['/visits/{id}/pages', { ...bools('events'), ...PAGING, ...PAGE_FILTERS }],
    ['/visits/{id}/events', { ...PAGING, ...EVENT_FILTERS, browserPageID: 'text' }],
    ['/visits/{id}/identities', { ...bools('visits', 'pages', 'events'), ...PAGING, association: ['Authenticated', 'Recognized'] }],
    ['/pages/{id}', bools('events')],
    ['/pages/{id}/events', { ...PAGING, age: 'age', eventName: 'text', eventType: ['SYSTEM', 'BUSINESS'], category: 'text' }],
  ];

  /** A hostile id with good parameters, a seeded id with bad ones, or both hostile. */
  interface Read {
    seg: Segment | null;
    q: Query;
    unknownId: boolean;
  }
  const requests = (seeded: string | null, spec: QuerySpec, ignoring: boolean): fc.Arbitrary<Read> => {
    if (seeded === null) return hostileQuery(spec, ignoring).map((q) => ({ seg: null, q, unknownId: false }));
    const known: Segment = { raw: encodeURIComponent(seeded), decoded: seeded };
    return fc.oneof(
      fc.tuple(hostileSegment, validQuery(spec)).map(([seg, text]) => ({ seg, q: { text, early: null, late: false }, unknownId: true })),
      hostileQuery(spec, ignoring).map((q) => ({ seg: known, q, unknownId: false })),
      fc.tuple(hostileSegment, hostileQuery(spec, ignoring)).map(([seg, q]) => ({ seg, q, unknownId: true })),
    );
  };

  /** Router decoding, then the query (parseQuery), then the id (404), then paging (page_key). */
  function expectedCheck({ seg, q, unknownId }: Read): Check {
    if (seg?.decoded === null) return badUrl;
    if (q.early !== null) return refused(400, 'bad_request', q.early);
    if (unknownId) return refused(404, 'not_found');
    if (q.late) return refused(400, 'bad_request', 'page_key', /page_key/);
    throw new Error('the generator made a valid request');
  }

  /** `ignoring`: the route ignores unknown parameters (the History API) rather than refusing them (the lab API). */
  async function fuzzReads(route: string, template: string, seeded: string | null, spec: QuerySpec, numRuns: number, ignoring: boolean) {
    const property = fc.asyncProperty(requests(seeded, spec, ignoring), async (r) => {
      const path = template.replace('{id}', r.seg?.raw ?? '') + r.q.text;
      expectedCheck(r)(await send(lab, tally, route, { method: 'GET', path }));
    });
    await fc.assert(property, runs(numRuns));
  }

  it.each(ROUTES)('GET /server/data%s refuses hostile ids and query strings', async (route, spec) => {
    const seeded = !route.includes('{id}') ? null : route.startsWith('/identities') ? SEEDED.identity : route.startsWith('/pages') ? SEEDED.page : SEEDED.visits[0];
    await fuzzReads(`GET /server/data${route}`, `/server/data${route}`, seeded, spec, 50, true);
  });

  it('GET /lab/contacts/{id} refuses hostile ids and any query parameter', async () => {
    await fuzzReads('GET /lab/contacts/{id}', '/lab/contacts/{id}', SEEDED.contact, {}, 80, false);
  });
});

describe('lab API writes', () => {
  it('POST /lab/contacts refuses invalid contacts (alone or among good ones), an empty list, any query', async () => {
    const at = (i: number, field: FieldWant) => (field === 'body' ? `[${i}]` : `[${i}].${field as string}`);
    const cases = fc.oneof(
      badContact.map((b): Case => ({ body: toJson(b.item), check: refused(400, 'bad_request', b.field) })),
      fc.tuple(fc.array(goodContact, { maxLength: 3 }), badContact, fc.nat()).map(([good, bad, n]): Case => {
        const i = n % (good.length + 1);
        const items: unknown[] = [...good];
        items.splice(i, 0, bad.item);
        return { body: toJson(items), check: refused(400, 'bad_request', at(i, bad.field)) };
      }),
      deepCases({ array: '[0]', object: 'a', mixed: '[0].a', proto: '__proto__' }),
      unreadable(/no contacts/),
      fc.tuple(hostileQuery({}), goodContact).map(([q, c]): Case => ({ path: `/lab/contacts${q.text}`, body: toJson(c), check: refused(400, 'bad_request', q.early) })),
    );
    await fuzzWrites('POST /lab/contacts', '/lab/contacts', cases, 150);
  }, 60_000);
});

it('sent over 1,000 hostile requests; the companion still answers and holds what it held', async () => {
  // Every route of the brief was hit, each a fair number of times (the runs above are fixed).
  expect(Object.keys(tally.byRoute)).toHaveLength(18);
  for (const [route, n] of Object.entries(tally.byRoute)) expect(n, route).toBeGreaterThanOrEqual(50);
  expect(tally.total).toBeGreaterThanOrEqual(1000);
  expect((await lab.http.get('/lab/health')).status).toBe(200);
  await expectStoreUnchanged(lab, before);
});
