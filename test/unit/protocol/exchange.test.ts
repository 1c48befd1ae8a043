// The export formats' pure functions: request grouping, HAR entries and their reading back,
// CSV cells, and the import document's checks naming the field at fault.
import { build } from 'esbuild';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  csvCell,
  CSV_HEADER,
  csvRow,
  EXPORT_FORMAT,
  harEntry,
  harFrame,
  harOf,
  parseImport,
  requestsOf,
  utf8Length,
  type ExportRequest,
  type StoredEvent,
} from '../../../protocol';

const ev = (id: string, serverTimestamp: number, extra: Partial<StoredEvent> = {}): StoredEvent => ({
  eventType: 'SYSTEM',
  eventName: 'PageEntered',
  eventID: id,
  pageID: 'p1',
  timestamp: serverTimestamp - 5,
  globalVisitID: 'g1',
  visitID: 'v1',
  url: 'http://shop.test/',
  data: { title: 'Home' },
  serverTimestamp,
  browserPageID: 'p1',
  visitorState: 'Anonymous',
  ...extra,
});

describe('requestsOf', () => {
  it('cuts events into requests by serverTimestamp and user agent, at most max each', () => {
    const list = [
      { event: ev('a', 1), userAgent: 'UA1' },
      { event: ev('b', 1), userAgent: 'UA1' },
      { event: ev('c', 1), userAgent: 'UA2' },
      { event: ev('d', 2), userAgent: 'UA2' },
      { event: ev('e', 2), userAgent: 'UA2' },
      { event: ev('f', 2), userAgent: 'UA2' },
    ];
    const out = [...requestsOf(list, 2)].map((r) => [r.serverTimestamp, r.userAgent, r.events.map((e) => e.eventID).join('')]);
    expect(out).toEqual([
      [1, 'UA1', 'ab'],
      [1, 'UA2', 'c'],
      [2, 'UA2', 'de'],
      [2, 'UA2', 'f'],
    ]);
  });
});

describe('HAR', () => {
  const request: ExportRequest = { serverTimestamp: Date.UTC(2026, 0, 2, 3, 4, 5, 678), userAgent: 'Mozilla/5.0 Test', events: [ev('é1', 5), ev('e2', 5)] };

  it('an entry is a POST of the events as sent (no server fields) with the accepted answer', () => {
    const entry = harEntry(request, 'http://127.0.0.1:9081/server/events');
    expect(entry.startedDateTime).toBe('2026-01-02T03:04:05.678Z');
    expect(entry.request.method).toBe('POST');
    expect(entry.request.headers).toContainEqual({ name: 'User-Agent', value: 'Mozilla/5.0 Test' });
    const sent = JSON.parse(entry.request.postData!.text!);
    expect(sent.map((e: StoredEvent) => e.eventID)).toEqual(['é1', 'e2']);
    expect(sent[0]).not.toHaveProperty('serverTimestamp');
    expect(sent[0]).not.toHaveProperty('visitorState');
    expect(sent[0]).not.toHaveProperty('browserPageID');
    expect(entry.request.bodySize).toBe(Buffer.byteLength(entry.request.postData!.text!));
    expect(entry.response.status).toBe(200);
    const answer = JSON.parse(entry.response.content.text!);
    expect(answer).toMatchObject({ accepted: 2, duplicate: 0, rejected: 0, results: [{ index: 0, eventID: 'é1', status: 'accepted' }, { index: 1 }] });
    expect(entry.response.content.size).toBe(Buffer.byteLength(entry.response.content.text!));
  });

  it('the frame around streamed entries makes the same log as harOf', () => {
    const creator = { name: 'visitor-lab-companion', version: '1' };
    const url = 'http://x.test/server/events';
    const { head, tail } = harFrame(creator);
    const streamed = head + [request, request].map((r) => JSON.stringify(harEntry(r, url))).join(',') + tail;
    expect(JSON.parse(streamed)).toEqual(JSON.parse(JSON.stringify(harOf([request, request], url, creator))));
    expect(JSON.parse(streamed).log.version).toBe('1.2');
  });

  it('reads a HAR back: only POSTs to /server/events, with their time and User-Agent', () => {
    const entry = harEntry(request, 'http://127.0.0.1:9081/server/events');
    const page = { ...entry, request: { ...entry.request, method: 'GET', url: 'http://shop.test/' } };
    const history = { ...entry, request: { ...entry.request, url: 'http://127.0.0.1:9081/server/data/visits' } };
    const plan = parseImport({ log: { version: '1.2', entries: [page, entry, history] } });
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.value.source).toBe('har');
    expect(plan.value.requests).toHaveLength(1);
    expect(plan.value.requests[0]).toMatchObject({ serverTimestamp: request.serverTimestamp, userAgent: 'Mozilla/5.0 Test', at: 'log.entries[1]' });
    expect(plan.value.requests[0].events).toHaveLength(2);
  });

  it('reads a DevTools-style HAR: lowercase headers (HTTP/2), a preflight OPTIONS skipped, a trailing slash, one event as an object', () => {
    const at = '2026-03-04T05:06:07.089Z';
    const post = (url: string, method = 'POST', text = JSON.stringify(ev('x1', 1))) => ({
      startedDateTime: at,
      time: 12.3,
      request: { method, url, httpVersion: 'h2', headers: [{ name: ':authority', value: '127.0.0.1:9081' }, { name: 'user-agent', value: 'Chrome/130' }], postData: { mimeType: 'text/plain;charset=UTF-8', text } },
      response: { status: 200 },
    });
    const plan = parseImport({ log: { version: '1.2', creator: { name: 'WebInspector', version: '537.36' }, pages: [], entries: [post('http://127.0.0.1:9081/server/events', 'OPTIONS', ''), post('http://127.0.0.1:9081/server/events/?x=1')] } });
    expect(plan.ok && plan.value.requests).toEqual([{ serverTimestamp: Date.parse(at), userAgent: 'Chrome/130', events: [expect.objectContaining({ eventID: 'x1' })], at: 'log.entries[1]' }]);
  });

  it('names the field of a broken HAR', () => {
    const entry = harEntry(request, 'http://127.0.0.1:9081/server/events');
    const field = (body: unknown) => {
      const r = parseImport(body);
      return r.ok ? null : r.problem.field;
    };
    expect(field({ log: 3 })).toBe('log');
    expect(field({ log: {} })).toBe('log.entries');
    expect(field({ log: { entries: [] } })).toBe('log.entries');
    expect(field({ log: { entries: [{ ...entry, startedDateTime: 'soon' }] } })).toBe('log.entries[0].startedDateTime');
    expect(field({ log: { entries: [{ ...entry, request: { ...entry.request, postData: { mimeType: 'x', text: '{' } } }] } })).toBe('log.entries[0].request.postData.text');
  });

  it('counts UTF-8 bytes as Buffer does', () => {
    for (const s of ['', 'abc', 'é', '€', '😀', '\ud800x', 'a😀é€\udc00']) expect(utf8Length(s)).toBe(Buffer.byteLength(s));
  });
});

describe('CSV', () => {
  it('quotes per RFC 4180 and neutralises formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=1+2')).toBe("'=1+2");
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=x')).toBe("'\t=x");
    expect(csvCell('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(undefined)).toBe('');
  });

  it('a row has every column, times as ISO and ms, data as JSON', () => {
    const row = csvRow(ev('e1', Date.UTC(2026, 0, 1), { sessionID: 's1', category: 'shop', data: { q: 'a,b' } }));
    expect(CSV_HEADER).toBe('eventID,eventName,eventType,timestamp,timestampMs,serverTimestamp,serverTimestampMs,visitID,globalVisitID,pageID,sessionID,url,category,visitorState,data\r\n');
    expect(row).toBe(
      `e1,PageEntered,SYSTEM,2025-12-31T23:59:59.995Z,${Date.UTC(2026, 0, 1) - 5},2026-01-01T00:00:00.000Z,${Date.UTC(2026, 0, 1)},v1,g1,p1,s1,http://shop.test/,shop,Anonymous,"{""q"":""a,b""}"\r\n`,
    );
  });
});

describe('parseImport of a JSON export', () => {
  const doc = (extra: Record<string, unknown> = {}) => ({
    format: EXPORT_FORMAT,
    version: 1,
    contacts: [{ contactId: 'c1', email: 'ann@shop.test' }],
    visits: [{ visitId: 'v9', globalVisitID: 'g9', startDate: 5, userAgent: null }],
    requests: [{ serverTimestamp: 10, userAgent: 'UA', events: [ev('e1', 10)] }],
    ...extra,
  });
  const field = (body: unknown) => {
    const r = parseImport(body);
    return r.ok ? null : r.problem.field;
  };

  it('takes a whole document', () => {
    const r = parseImport(doc());
    expect(r.ok && r.value).toMatchObject({ source: 'json', contacts: [{ contactId: 'c1', origin: 'seed' }], visits: [{ visitId: 'v9' }], requests: [{ serverTimestamp: 10, userAgent: 'UA', at: 'requests[0]' }] });
  });

  it('names the field at fault', () => {
    expect(field(null)).toBe('body');
    expect(field([])).toBe('body');
    expect(field({ hello: 1 })).toBe('body');
    expect(field(doc({ format: 'other' }))).toBe('format');
    expect(field(doc({ version: 2 }))).toBe('version');
    expect(field(doc({ requests: undefined }))).toBe('requests');
    expect(field(doc({ requests: [{ serverTimestamp: -1, events: [{}] }] }))).toBe('requests[0].serverTimestamp');
    expect(field(doc({ requests: [{ serverTimestamp: 1, userAgent: 3, events: [{}] }] }))).toBe('requests[0].userAgent');
    expect(field(doc({ requests: [{ serverTimestamp: 1, events: [] }] }))).toBe('requests[0].events');
    expect(field(doc({ requests: [{ serverTimestamp: 1, events: new Array(1001).fill({}) }] }))).toBe('requests[0].events');
    expect(field(doc({ visits: [{ visitId: '', globalVisitID: 'g', startDate: 1, userAgent: null }] }))).toBe('visits[0].visitId');
    expect(field(doc({ visits: [{ visitId: 'v', globalVisitID: 'g', startDate: 'x', userAgent: null }] }))).toBe('visits[0].startDate');
    expect(field(doc({ contacts: [{ contactId: 'c' }] }))).toBe('contacts[0].userId');
    expect(field(doc({ contacts: {} }))).toBe('contacts');
  });
});

describe('protocol/exchange as the extension bundles it', () => {
  it('document, har and csv need nothing outside protocol/ and no zod', async () => {
    const ROOT = path.resolve(import.meta.dirname, '../../..');
    const out = await build({
      absWorkingDir: ROOT,
      stdin: { contents: "export * from './protocol/exchange/document'; export * from './protocol/exchange/har'; export * from './protocol/exchange/csv';", resolveDir: ROOT, loader: 'ts' },
      bundle: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    expect(Object.keys(out.metafile.inputs).filter((f) => !f.startsWith('protocol/') && f !== '<stdin>')).toEqual([]);
  });
});
