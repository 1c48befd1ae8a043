// Hostile JSON bodies for the fuzz test (test/integration/fuzz.test.ts). Each is invalid by
// construction: a valid template with awkward but allowed values, then exactly one "breaker",
// which also says which field the companion must name. Limits: protocol/events.ts LIMITS.
import fc from 'fast-check';
import { LIMITS, VISIT_SERVER_FIELDS } from '../../protocol';
import { awkward, awkwardText, LONE, type FieldWant } from './fuzz';

/** A JSON value written as given (JSON.stringify cannot write `1e999`). */
const RAW = (json: string) => `@@RAW${json}@@`;
export const toJson = (v: unknown): string => JSON.stringify(v).replace(/"@@RAW(.*?)@@"/g, '$1');

const FORBIDDEN = ['__proto__', 'constructor', 'prototype'];
/** `{"__proto__": ...}` as an own key, as JSON.parse makes it (a literal would set the prototype). */
const withKey = (obj: object, key: string, value: unknown) => ({ ...obj, ...Object.fromEntries([[key, value]]) });
const POLLUTER = { polluted: true };

const long = (min: number, max = min + 4000, ch = 'x') => fc.integer({ min, max }).map((n) => ch.repeat(n));
/** Anything but a string. */
const nonString = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }), fc.constant({}), fc.constant(RAW('1e999')));
/** Blank once trimmed (NBSP, BOM, ideographic space and line separators trim too). */
const blank = fc.constantFrom('', ' ', '\t\n', '\u00a0', '\u3000\ufeff', '\u2028');
/** Not an id: IdSchema refuses each. */
const badId = fc.oneof(nonString, blank, fc.constantFrom('__proto__', ' __proto__ ', '\t__proto__'), long(LIMITS.idLength + 1), fc.constantFrom(...LONE));
/** Not a timestamp: not a number, negative, or infinite. */
const badTimestamp = fc.oneof(
  fc.string(), fc.boolean(), fc.constant(null), fc.constant([1]), fc.constant({}),
  fc.double({ max: -Number.MIN_VALUE, noNaN: true }), fc.constantFrom(RAW('1e999'), RAW('-1e999'), '1700000000000'),
);

export interface Broken {
  item: unknown;
  field: FieldWant;
}
type Ev = Record<string, unknown>;
type Breaker = fc.Arbitrary<(ev: Ev) => Broken>;

const set = (key: string, values: fc.Arbitrary<unknown>, field: FieldWant = key): Breaker =>
  values.map((v) => (ev) => ({ item: { ...ev, [key]: v }, field }));
const drop = (key: string): Breaker => fc.constant((ev) => {
  const { [key]: _gone, ...rest } = ev;
  return { item: rest, field: key };
});

/** Data nested past LIMITS.dataDepth, or with a prototype key somewhere down (arrays and objects). */
const deepData = fc.integer({ min: LIMITS.dataDepth + 1, max: 60 }).map((depth) => {
  let v: unknown = { leaf: 1 };
  for (let i = 1; i < depth; i++) v = i % 3 ? { a: v } : [v];
  return v;
});
const pollutedData = fc
  .tuple(fc.array(fc.oneof(fc.constant(null), awkward), { maxLength: 6 }), fc.constantFrom(...FORBIDDEN))
  .map(([steps, key]) => {
    // Built inside out; null is an array level ([0]), a string an object key.
    let v: unknown = Object.fromEntries([[key, POLLUTER]]);
    for (const s of [...steps].reverse()) v = s === null ? [v] : { [s]: v };
    return { data: v, field: `data${steps.map((s) => (s === null ? '[0]' : `.${s}`)).join('')}.${key}` };
  });

/** A SYSTEM event of that name whose data (none when undefined) is replaced: the noise's could identify it. */
const system = (eventName: string, data: unknown, field: FieldWant): ((ev: Ev) => Broken) => (ev) => {
  const { data: _noise, ...rest } = ev;
  return { item: { ...rest, eventType: 'SYSTEM', eventName, ...(data === undefined ? {} : { data }) }, field };
};

/**
 * `forVisitPost`: for POST /server/data/visits/{id}/events, which fills in a missing eventID and
 * timestamp and takes visitID and globalVisitID from the visit (a different one is its own 400).
 */
function eventBreakers(forVisitPost: boolean): Breaker[] {
  const list: Breaker[] = [
    set('eventType', fc.oneof(nonString, fc.constantFrom('system', 'Business', ' BUSINESS', 'SYSTEM\u0000', ''), fc.string()).filter((v) => v !== 'SYSTEM' && v !== 'BUSINESS')),
    drop('eventType'),
    set('eventName', fc.oneof(nonString, blank, long(LIMITS.nameLength + 1))),
    drop('eventName'),
    set('eventID', badId),
    ...(forVisitPost ? [] : [drop('eventID'), drop('timestamp'), set('visitID', badId), drop('visitID'), set('globalVisitID', badId), drop('globalVisitID')]),
    set('pageID', badId),
    set('sessionID', badId),
    set('timestamp', badTimestamp),
    set('url', fc.oneof(nonString, long(LIMITS.textLength + 1, 12_000))),
    set('category', fc.oneof(nonString, long(LIMITS.textLength + 1, 12_000))),
    set('languageCode', fc.oneof(nonString, long(65, 500))),
    set('data', fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(awkward, { maxLength: 3 }))),
    set('data', deepData, { under: 'data' }),
    set('data', fc.integer({ min: LIMITS.dataKeys + 1, max: 1300 }).map((n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]))), { under: 'data' }),
    pollutedData.map(({ data, field }) => (ev: Ev) => ({ item: { ...ev, data }, field })),
    fc.constantFrom(...FORBIDDEN).map((key) => (ev: Ev) => ({ item: withKey(ev, key, POLLUTER), field: key })),
    // An unknown SYSTEM name, a SignIn or UserInfo without its identifier are stored with a
    // warning (as GWE would store them); an identifier that cannot be an identityId is refused.
    fc.oneof(fc.constantFrom('__proto__', ' __proto__ '), long(LIMITS.idLength + 1), fc.constantFrom(...LONE.map((s) => `u${s}`)))
      .chain((bad) => fc.constantFrom(system('SignIn', { userId: bad }, 'data.userId'), system('SignIn', { email: bad }, 'data.email'), system('UserInfo', { userId: bad }, 'data.userId'))),
    fc.constantFrom('PageEntered', 'PageExited').map((name) => (ev: Ev) => {
      const { pageID: _gone, ...rest } = ev;
      return { item: { ...rest, eventType: 'SYSTEM', eventName: name }, field: 'pageID' };
    }),
    fc.oneof(fc.constant(null), fc.integer(), fc.string(), fc.boolean(), fc.constant([]), fc.constant('@@self')).map((v) => (ev: Ev) => ({ item: v === '@@self' ? [ev] : v, field: 'event' })),
  ];
  return list;
}

const optional = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const dataKey = fc.oneof(awkward, fc.constantFrom('userId', 'a.b', '[0]', '', ' ')).filter((k) => !FORBIDDEN.includes(k));
const leaf = fc.oneof(awkwardText, fc.integer(), fc.boolean(), fc.constant(null), fc.array(awkward, { maxLength: 3 }));

/** A valid BUSINESS event with awkward values in every free field, and unknown extra keys (dropped by intake). */
function noisyEvent(forVisitPost: boolean): fc.Arbitrary<Ev> {
  return fc
    .record({
      eventName: awkward,
      eventID: awkward,
      pageID: optional(awkward),
      sessionID: optional(awkward),
      url: optional(awkwardText),
      category: optional(awkwardText),
      data: optional(fc.dictionary(dataKey, leaf, { maxKeys: 4 })),
      extra: fc.dictionary(fc.string({ maxLength: 10 }).filter((k) => !FORBIDDEN.includes(k) && !/^[a-z]/i.test(k)), leaf, { maxKeys: 2 }),
    })
    .map(({ extra, ...r }) => {
      const ev: Ev = { ...extra, eventType: 'BUSINESS', timestamp: 1_700_000_000_000, languageCode: 'en' };
      for (const [k, v] of Object.entries(r)) if (v !== undefined) ev[k] = v;
      if (!forVisitPost) Object.assign(ev, { visitID: 'fuzz-new', globalVisitID: 'fuzz-new-g' });
      return ev;
    });
}

/** One invalid event and the field intake must name for it. */
export const badEvent = (forVisitPost = false): fc.Arbitrary<Broken> =>
  fc.tuple(noisyEvent(forVisitPost), fc.oneof(...eventBreakers(forVisitPost))).map(([ev, breaker]) => breaker(ev));

/** A valid event (for requests that must be refused for something else: the URL, the query). */
export const goodEvent = (forVisitPost = false): fc.Arbitrary<Ev> => noisyEvent(forVisitPost);

// ---- POST /server/data/visits and POST /lab/contacts bodies

// The server's fields of a visit resource are ignored in a POST body: never an unknown key.
const VISIT_KEYS = ['visitId', 'globalVisitID', 'startDate', 'userAgent', ...VISIT_SERVER_FIELDS];
const CONTACT_KEYS = ['contactId', 'userId', 'email', 'phone', 'firstName', 'lastName'];
/** An unknown key (strict schemas name it), prototype keys included. `""` is named `body`. */
const unknownKey = (known: string[]) =>
  fc.oneof(fc.constantFrom(...FORBIDDEN, 'visitID', 'UserId', 'visit_id', 'a.b', '', ' '), fc.string({ maxLength: 12 })).filter((k) => !known.includes(k));
const strictBreaker = (known: string[]): Breaker =>
  fc.tuple(unknownKey(known), leaf).map(([key, v]) => (obj: Ev) => ({ item: withKey(obj, key, v === null ? POLLUTER : v), field: key === '' ? 'body' : key }));

const defined = (o: Record<string, unknown>): Ev => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** A valid visit body (for requests refused for their query). */
export const goodVisit = fc
  .record({ visitId: optional(awkward), globalVisitID: optional(awkward), startDate: optional(fc.nat()), userAgent: optional(awkwardText) })
  .map(defined);

/** A valid visit body, then one breaker. */
export const badVisit: fc.Arbitrary<Broken> = fc
  .tuple(
    goodVisit,
    fc.oneof(
      strictBreaker(VISIT_KEYS),
      set('visitId', badId),
      set('globalVisitID', badId),
      set('startDate', badTimestamp),
      set('userAgent', fc.oneof(nonString, long(2049, 5000))),
    ),
  )
  .map(([visit, breaker]) => breaker(visit));

const contactTemplate = fc
  .record({ contactId: optional(awkward), userId: awkward, email: optional(awkward), phone: optional(awkward), firstName: optional(awkward), lastName: optional(awkward) })
  .map(defined);

/** A valid contact, then one breaker. */
export const badContact: fc.Arbitrary<Broken> = fc
  .tuple(
    contactTemplate,
    fc.oneof(
      strictBreaker(CONTACT_KEYS),
      set('contactId', badId),
      ...['userId', 'email', 'phone', 'firstName', 'lastName'].map((k) => set(k, fc.oneof(nonString, blank, long(257, 2000)))),
      ...['userId', 'email', 'phone'].map((k) => set(k, fc.constantFrom(...LONE.map((s) => `c${s}`)))),
      fc.constant((c: Ev) => {
        const { userId: _u, email: _e, phone: _p, ...rest } = c;
        return { item: rest, field: 'userId' };
      }),
      fc.oneof(fc.constant(null), fc.integer(), fc.string(), fc.boolean(), fc.constant([])).map((v) => () => ({ item: v, field: 'body' })),
    ),
  )
  .map(([c, breaker]) => breaker(c));

export const goodContact = contactTemplate;

// ---- whole bodies

/** Nested `depth` levels deep, as text (JSON.stringify would recurse); what each route names for it. */
export const DEEP_KINDS = ['array', 'object', 'mixed', 'proto'] as const;
export type DeepKind = (typeof DEEP_KINDS)[number];
export function deepText(kind: DeepKind, depth: number): string {
  const pairs = Math.ceil(depth / 2);
  if (kind === 'array') return '['.repeat(depth) + ']'.repeat(depth);
  if (kind === 'object') return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
  if (kind === 'mixed') return '[{"a":'.repeat(pairs) + 'null' + '}]'.repeat(pairs);
  return '{"__proto__":'.repeat(depth) + '{"polluted":true}' + '}'.repeat(depth);
}
export const deepBody = fc.record({
  kind: fc.constantFrom(...DEEP_KINDS),
  depth: fc.oneof(fc.constant(10_000), fc.integer({ min: LIMITS.dataDepth + 1, max: 3000 }), fc.constant(100_000)),
});

/** Text that JSON.parse refuses (after the BOM the body reader strips) and that is not blank. */
export const notJson = fc
  .oneof(
    fc.constantFrom('{', '[', '{"eventType":', '[1,]', "{'a':1}", 'NaN', 'undefined', '{"a":1}}', '\u0000', 'nul', 'tru', '"open', '{"a":"\\x"}', '{"a":"\\ud800', '0x10', '01', '.5', '+1', '[,]', '{"a" 1}', '\ufeff\ufeff{}', 'TRUE', '{"__proto__":}'),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
    fc.tuple(fc.constant('[{"eventType":"BUSINESS","eventName":"x","eventID":"e","timestamp":1}]'), fc.nat()).map(([t, n]) => t.slice(0, 1 + (n % (t.length - 1)))),
  )
  .filter((s) => {
    if (s.trim() === '') return false;
    try {
      JSON.parse(s.replace(/^\ufeff/, ''));
      return false;
    } catch {
      return true;
    }
  });

/** Blank to the body reader: the same 400 as no body at all. */
export const blankBody = fc.constantFrom('', ' ', '\n\t ', '\r\n', '\u00a0', '\ufeff');

/** Bytes that are not UTF-8: overlong forms, an encoded surrogate, past U+10FFFF, stray bytes. */
export const BAD_UTF8 = [[0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xf0, 0x80, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xff], [0xfe], [0xc3], [0x80], [0xf4, 0x90, 0x80, 0x80]].map((b) => Buffer.from(b));

/** JSON with every non-ASCII character escaped: the same value in any ASCII-compatible charset. */
export const asciiJson = (text: string) => text.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

export interface Batch {
  items: unknown[];
  /** Per event, the field its rejection must name. */
  fields: FieldWant[];
  /** The items as one event (when there is one, half the time) or as an array. */
  text: string;
}

/** 1 to 6 invalid events, each broken its own way. */
export const badBatch = (forVisitPost = false): fc.Arbitrary<Batch> =>
  fc.tuple(fc.array(badEvent(forVisitPost), { minLength: 1, maxLength: 6 }), fc.boolean()).map(([broken, asArray]) => {
    const items = broken.map((b) => b.item);
    // An array item alone would be read as the batch itself: it is always wrapped.
    const single = items.length === 1 && !asArray && !Array.isArray(items[0]);
    return { items, fields: broken.map((b) => b.field), text: toJson(single ? items[0] : items) };
  });
