// The fuzz test's machinery (test/integration/fuzz.test.ts): one request with a deadline,
// counted per route; the shape every refusal must have; a fingerprint of the store (to show
// a refused request changed nothing); and hostile URL path segments and query strings as
// fast-check arbitraries that are invalid by construction and know what the companion must
// name. The hostile bodies are in ./fuzz-bodies.ts.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import querystring from 'node:querystring';
import fc from 'fast-check';
import { expect } from 'vitest';
import { ev, pageEntered, signIn, visitCtx, visitStarted } from './events';
import { JSON_TYPE, raw, type RawAnswer } from './http';
import type { LabHandle } from './use-companion';

/**
 * One seed for every property, so a failure replays exactly. No shrinking (endOnFailure): a
 * failure may have changed the store, and every later, smaller input would then fail too.
 */
export const runs = (numRuns: number) => ({ seed: 20261124, numRuns, endOnFailure: true });

/** An answer slower than this fails the property: the companion choked on the input. */
export const DEADLINE_MS = 5_000;

/** Requests sent, per route; the file's last test checks the total. */
export class Tally {
  readonly byRoute: Record<string, number> = {};
  add(route: string): void {
    this.byRoute[route] = (this.byRoute[route] ?? 0) + 1;
  }
  get total(): number {
    return Object.values(this.byRoute).reduce((a, b) => a + b, 0);
  }
}

export interface Req {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** Sends exact bytes (`raw`: no URL normalisation, any header), failing past the deadline. */
export async function send(lab: LabHandle, tally: Tally, route: string, req: Req): Promise<RawAnswer> {
  tally.add(route);
  try {
    return await raw(lab.companion.port, req.method, req.path, req.headers ?? {}, req.body, AbortSignal.timeout(DEADLINE_MS));
  } catch (e) {
    throw new Error(`${req.method} ${req.path.slice(0, 120)}: no answer within ${DEADLINE_MS} ms (${String(e)})`);
  }
}

/** The field a refusal must name: exactly, anything under a path (`data` -> `data.a[0]`), or none. */
export type FieldWant = string | { under: string } | null;

export function fieldMatches(actual: unknown, want: FieldWant): boolean {
  if (want === null) return actual === undefined;
  if (typeof want === 'string') return actual === want;
  return typeof actual === 'string' && (actual === want.under || actual.startsWith(`${want.under}.`) || actual.startsWith(`${want.under}[`));
}

/** docs/api.md: every error is JSON `{error, message, field?}`; `field` (when asked) names the culprit. */
export function expectRefusal(res: RawAnswer, status: number, error: string, field?: FieldWant): void {
  const seen = `${res.status} ${JSON.stringify(res.body)?.slice(0, 300)}`;
  expect(res.status, seen).toBe(status);
  expect(res.headers['content-type'], seen).toBe(JSON_TYPE);
  expect(res.body?.error, seen).toBe(error);
  expect(typeof res.body.message === 'string' && res.body.message.length > 0, seen).toBe(true);
  if (field !== undefined) expect(fieldMatches(res.body.field, field), `field wanted: ${JSON.stringify(field)}; got ${seen}`).toBe(true);
}

// ---- the store before and after

/** `page`: visit fuzz-A's page p1, as a page resource's id (visitId:browserPageID). */
export const SEEDED = { visits: ['fuzz-A', 'fuzz-B'], identity: 'fuzz-ann', contact: 'contact-fuzz-ann', page: 'fuzz-A:p1' } as const;
const SEEDED_IDS: ReadonlySet<string> = new Set([...SEEDED.visits, SEEDED.identity, SEEDED.contact, SEEDED.page]);

/** Two visits, an identity and a contact: so ids can be found, and every table has something to lose. */
export async function seedStore(lab: LabHandle): Promise<void> {
  const a = visitCtx('fuzz-A');
  const b = visitCtx('fuzz-B');
  const events = [visitStarted(a), pageEntered(a, 'p1'), signIn(a, { userId: SEEDED.identity, firstName: 'Ann' })];
  events.push(visitStarted(b), pageEntered(b, 'p1'), ev(b, 'AddToCart', { pageID: 'p1', category: 'shop' }));
  expect((await lab.http.post('/server/events', events)).body.accepted).toBe(events.length);
  const contact = { contactId: SEEDED.contact, userId: SEEDED.identity, email: 'ann@shop.test' };
  expect((await lab.http.post('/lab/contacts', contact)).status).toBe(201);
}

/** Every data file in the data folder (journal, snapshot, events), by content: what a write would change. */
export function dataDirDigest(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      if (name.startsWith('companion.lock')) continue; // who holds the folder, not what it holds
      const full = path.join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out[path.relative(dir, full)] = createHash('sha256').update(readFileSync(full)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

/** What the companion holds, as its APIs show it, plus the data folder's bytes. */
export async function storeFingerprint(lab: LabHandle) {
  const get = async (p: string) => {
    const res = await lab.http.get(p);
    return { status: res.status, body: res.body };
  };
  const health = await get('/lab/health');
  expect(health.status).toBe(200);
  return {
    counts: health.body.counts,
    visits: await get('/server/data/visits?include_pages_detail=true&include_events_detail=true'),
    identities: await get('/server/data/identities?include_visits=true'),
    contacts: await get('/lab/contacts'),
    files: dataDirDigest(lab.companion.dataDir),
  };
}

export type Fingerprint = Awaited<ReturnType<typeof storeFingerprint>>;

export async function expectStoreUnchanged(lab: LabHandle, before: Fingerprint): Promise<void> {
  const now = await storeFingerprint(lab);
  expect(now).toEqual(before);
  // The hostile bodies carry {"__proto__": {"polluted": true}}: nothing of it may show.
  expect(JSON.stringify(now.visits.body)).not.toContain('polluted');
  // The companion runs in this process (useCompanion), so its prototypes are ours.
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

// ---- hostile strings

/** Well-formed but awkward: NUL, bidi controls, BOM, emoji and ZWJ sequences, combining marks, noncharacters. */
export const NASTY = [
  '\u0000', 'a\u0000b', '\u202eevil', '\u200f\u200e', '\ufeffbom', '😀', '👩‍👩‍👧‍👦', 'e\u0301\u0301', '\u2028\u2029',
  '\uffff\ufffe', '\u{10ffff}', 'İı', 'ß', '%00', '%ZZ', '../..', '${x}', '<script>', '\'"\\', '\r\n', 'null', '١٢٣',
];
/** Half a surrogate pair: JSON.stringify writes it as the escape "\ud800". */
export const LONE = ['\ud800', '\udfff', '\udbff', 'a\udc00b', '\ud83d', 'x\ude00'];

/** Never blank (the `n`), at most ~60 UTF-16 units: valid wherever a short string is. */
export const awkward = fc.oneof(fc.constantFrom(...NASTY), fc.string({ unit: 'binary', minLength: 1, maxLength: 24 })).map((s) => `n${s}`);
/** As `awkward`, or with a lone surrogate: valid only in free text (url, category, data). */
export const awkwardText = fc.oneof(awkward, fc.constantFrom(...LONE).map((s) => `n${s}`));

// ---- hostile URL path segments

const enc = encodeURIComponent;

/** Sent as they are: dot segments, NUL, invalid or overlong escapes, prototype names. No raw `/`, `?`, `#`. */
const RAW_SEGMENTS = [
  '..', '.', '%2e%2e', '%2E', '%00', 'a%00b', '%ZZ', '%', '%E0%A4%A', '%C0%AF', '%ED%A0%80', '%FF', '%2F', '%5C',
  '..%2F..%2Fetc%2Fpasswd', '%252e%252e', '__proto__', 'constructor', 'prototype', 'hasOwnProperty', '%5F%5Fproto%5F%5F',
  'a;b=c', '%F0%9F%98%80', '%E2%80%AE', '%u0041', '%%', '%0A', '%0D%0A', '"', '<>', '%20', '~',
];

export interface Segment {
  raw: string;
  /** What the router decodes it to, or null when decoding fails (a 400 about the request). */
  decoded: string | null;
}

function decodeOrNull(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

/** Never a seeded id, never empty (that would be another route); under 8 KB (Node refuses a request head over 16 KB). */
export const hostileSegment: fc.Arbitrary<Segment> = fc
  .oneof(
    fc.constantFrom(...RAW_SEGMENTS),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 64 }).map(enc),
    fc.constantFrom(...NASTY).map(enc),
    fc.integer({ min: 257, max: 4000 }).map((n) => 'x'.repeat(n)),
    fc.integer({ min: 65, max: 300 }).map((n) => enc('😀'.repeat(n))),
    fc.array(fc.oneof(fc.constantFrom(...RAW_SEGMENTS), fc.string({ minLength: 1, maxLength: 8 }).map(enc)), { minLength: 2, maxLength: 4 }).map((a) => a.join('')),
  )
  .map((raw) => ({ raw, decoded: decodeOrNull(raw) }))
  .filter((s) => s.decoded === null || (s.decoded !== '' && !SEEDED_IDS.has(s.decoded)));

// ---- hostile query strings

/** The parameter kinds of companion/server/history/query.ts. */
export type Kind = 'bool' | 'text' | 'age' | 'pageSize' | 'pageKey' | readonly string[];
export type QuerySpec = Record<string, Kind>;

interface Piece {
  raw: string;
  /** The name as the companion reads it (percent-decoded, `+` a space). */
  name: string;
  bad: boolean;
  /** A malformed page_key: found only once the collection is paged, after a 404. */
  late: boolean;
}

export interface Query {
  text: string;
  /** The parameter the companion must name first, or null when all are well-formed. */
  early: string | null;
  /** A page_key that is no key: 400 naming page_key, but only for a collection that exists. */
  late: boolean;
}

const nameOf = (raw: string) => Object.keys(querystring.parse(`${raw}=`))[0] ?? '';
const b64 = (s: string) => Buffer.from(s).toString('base64url');

function validValue(kind: Kind): fc.Arbitrary<string> {
  if (typeof kind !== 'string') return fc.constantFrom(...kind);
  if (kind === 'bool') return fc.constantFrom('true', 'false');
  if (kind === 'age') return fc.constantFrom('0', '1', '3600', '1.5', '1e3', '86400000');
  if (kind === 'pageSize') return fc.integer({ min: 1, max: 1000 }).map(String);
  if (kind === 'text') return fc.oneof(awkward, fc.constantFrom('shop', 'SignIn', 'p1')).map(enc);
  throw new Error('a valid page_key comes only from a Paging-Next header');
}

function badValue(kind: Kind): fc.Arbitrary<{ value: string; late: boolean }> {
  const early = (a: fc.Arbitrary<string>) => a.map((value) => ({ value, late: false }));
  if (typeof kind !== 'string') {
    const odd = fc.string({ maxLength: 12 }).filter((s) => !kind.includes(s));
    return early(fc.oneof(fc.constantFrom('', 'system', 'Business', 'SYSTEM%20', '%20SYSTEM', 'Authenticated,Recognized', '%ZZ', 'SYSTEM%00'), odd.map(enc)));
  }
  switch (kind) {
    case 'bool':
      return early(fc.oneof(
        fc.constantFrom('', 'yes', '1', '0', 'True', 'FALSE', 'on', 'true%20', '%20false', 'tru%00e', 'null', '%ZZ'),
        fc.string({ maxLength: 8 }).filter((s) => s !== 'true' && s !== 'false').map(enc),
      ));
    case 'age':
      return early(fc.oneof(
        fc.constantFrom('', '%20', '-1', '-0.5', '-1e3', 'abc', 'NaN', 'Infinity', '-Infinity', '1e999', '--1', '1%2C5', '10s', '1_000', '%ZZ', '5%00', '%D9%A1'),
        fc.integer({ min: -1e9, max: -1 }).map(String),
      ));
    case 'pageSize':
      return early(fc.oneof(
        fc.constantFrom('', '0', '-1', '1001', '2.5', 'abc', '1e3', '0x10', '+1', '%201', '99999999999999999999', '%D9%A1', '10%00', '%ZZ', '1,2'),
        fc.integer({ min: 1001, max: 2 ** 31 }).map(String),
        fc.integer({ min: -1e6, max: 0 }).map(String),
      ));
    case 'text':
      return early(fc.oneof(fc.constant(''), fc.integer({ min: 8193, max: 9000 }).map((n) => 'x'.repeat(n))));
    case 'pageKey':
      return fc.oneof(
        early(fc.integer({ min: 8193, max: 9000 }).map((n) => 'A'.repeat(n))),
        fc
          .oneof(
            fc.constantFrom('', 'not%20a%20key', '%ZZ', '====', 'a.b', 'a+b', '%2B%2F', b64('hello'), b64(':x'), b64('12'), b64('-1:fuzz-A')),
            fc.tuple(fc.nat(50), fc.string({ minLength: 1, maxLength: 12 })).map(([n, s]) => b64(`${n}:nope-${s}`)),
          )
          .map((value) => ({ value, late: true })),
      );
  }
}

/** Names no route here knows, or knows elsewhere; prototype keys, array and object syntax, bad escapes. */
const UNKNOWN_NAMES = [
  'limit', 'offset', 'page', 'pageSize', 'PAGE_SIZE', 'Page_Size', 'from', 'to', 'since', 'until', 'timestamp', 'sort',
  'q', 'filter', 'fields', 'eventname', 'EventName', 'AGE', 'age%20', 'age+', 'visitId', 'callback', '__proto__',
  'constructor', 'prototype', 'hasOwnProperty', '__proto__[x]', '__proto__%5Bpolluted%5D', 'constructor[prototype][polluted]',
  'a[]', 'a[0]', 'a.b', '%ZZ', '%00', '%', '%E0%A4%A', '', '%20', '+', 'include_visits', 'include_pages', 'include_events',
  'location', 'browserPageID', 'association', 'eventType', 'page_key', 'page_size', 'url', 'globalVisitID',
];
const anyValue = fc.oneof(fc.constantFrom('', '1', 'true', '-1', '%ZZ', '%00', '1e999', 'x'.repeat(3000)), fc.string({ unit: 'binary', maxLength: 16 }).map(enc));

function validPieces(spec: QuerySpec): fc.Arbitrary<Piece[]> {
  const plain = Object.keys(spec).filter((n) => spec[n] !== 'pageKey');
  return fc
    .subarray(plain)
    .chain((names) => fc.tuple(...names.map((name) => validValue(spec[name]).map((v): Piece => ({ raw: `${name}=${v}`, name, bad: false, late: false })))));
}

/** A parameter the spec does not know (`bad`: the route refuses unknown parameters). */
function unknownPiece(spec: QuerySpec, bad: boolean): fc.Arbitrary<Piece> {
  return fc
    .tuple(fc.oneof(fc.constantFrom(...UNKNOWN_NAMES), fc.string({ unit: 'binary', maxLength: 12 }).map(enc)), anyValue)
    .filter(([n]) => !Object.hasOwn(spec, nameOf(n)))
    .map(([n, v]): Piece => ({ raw: `${n}=${v}`, name: nameOf(n), bad, late: false }));
}

function badPiece(spec: QuerySpec, unknownIgnored: boolean): fc.Arbitrary<Piece> {
  const names = Object.keys(spec);
  const plain = names.filter((n) => spec[n] !== 'pageKey');
  const options: fc.Arbitrary<Piece>[] = unknownIgnored ? [] : [unknownPiece(spec, true)];
  if (names.length) {
    const known = (name: string) => badValue(spec[name]).map(({ value, late }): Piece => ({ raw: `${name}=${value}`, name, bad: true, late }));
    options.push(fc.constantFrom(...names).chain(known));
  }
  if (plain.length) {
    // `page_size=1&page_size=2`, the second maybe spelt %70%61...: one name to the companion.
    const spelt = (n: string) => [...n].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('');
    const twice = (name: string) =>
      fc
        .tuple(validValue(spec[name]), validValue(spec[name]), fc.boolean())
        .map(([a, b, encoded]): Piece => ({ raw: `${name}=${a}&${encoded ? spelt(name) : name}=${b}`, name, bad: true, late: false }));
    options.push(fc.constantFrom(...plain).chain(twice));
  }
  return fc.oneof(...options);
}

/**
 * At least one bad parameter among good ones, shuffled; what the companion must name is worked
 * out. `unknownIgnored` (the History API): unknown parameters, even repeated, are noise that
 * is ignored, never what is named.
 */
export function hostileQuery(spec: QuerySpec, unknownIgnored = false): fc.Arbitrary<Query> {
  const noise = unknownIgnored ? fc.array(unknownPiece(spec, false), { maxLength: 2 }) : fc.constant([]);
  return fc
    .tuple(validPieces(spec), noise, fc.array(badPiece(spec, unknownIgnored), { minLength: 1, maxLength: 3 }))
    .chain(([good, ignored, bad]) => fc.shuffledSubarray([...good, ...ignored, ...bad], { minLength: good.length + ignored.length + bad.length }))
    .map((pieces) => {
      const text = `?${pieces.map((p) => p.raw).join('&')}`;
      const earlyNames = new Set(pieces.filter((p) => p.bad && !p.late).map((p) => p.name));
      const parsed = Object.entries(querystring.parse(text.slice(1)));
      const counts = (n: string) => !unknownIgnored || Object.hasOwn(spec, n);
      const early = parsed.find(([n, v]) => (Array.isArray(v) && counts(n)) || earlyNames.has(n))?.[0] ?? null;
      return { text, early, late: early === null && pieces.some((p) => p.late) };
    })
    .filter((q) => q.text.length <= 10_000);
}

/** Only parameters the spec does not know (one or more), for a route that ignores them. */
export function ignoredQuery(spec: QuerySpec): fc.Arbitrary<string> {
  return fc.array(unknownPiece(spec, false), { minLength: 1, maxLength: 3 }).map((ps) => `?${ps.map((p) => p.raw).join('&')}`);
}

/** Only well-formed parameters (maybe none): for a path that must be refused on its own. */
export function validQuery(spec: QuerySpec): fc.Arbitrary<string> {
  return validPieces(spec).map((ps) => (ps.length ? `?${ps.map((p) => p.raw).join('&')}` : ''));
}
