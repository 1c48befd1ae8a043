// Exporting a tab's capture log: JSON with everything, HAR 1.2 of what the companion answered.
import { describe, expect, it } from 'vitest';
import type { GtEvent } from '../../../protocol/events';
import { parseHar } from '../../../protocol/exchange/har';
import type { CaptureRecord } from '../../../extension/shared/capture';
import { captureExport, captureHar, exportFileName, type CaptureSource } from '../../../extension/shared/export';

const ids = { globalVisitID: 'g1', visitID: 'v1', pageID: 'p1' };
const ev = (eventName: string, eventID: string, t: number): GtEvent => ({ eventType: eventName === 'PageEntered' ? 'SYSTEM' : 'BUSINESS', eventName, eventID, timestamp: t, globalVisitID: 'g1', visitID: 'v1', pageID: 'p1' });
const rec = (seq: number, part: Partial<CaptureRecord>): CaptureRecord => ({ seq, at: 1000 + seq, source: 'page', command: null, outcome: 'event', events: [], ids, page: { url: 'http://localhost:8080/', title: 'Home' }, ...part });

const src: CaptureSource = {
  tabId: 5,
  url: 'http://localhost:8080/cart?x=1',
  records: [
    rec(1, { source: 'tracker', outcome: 'system', events: [ev('PageEntered', 'e1', 1001)] }),
    rec(2, { command: ['nope'], outcome: 'rejected', reason: 'unknown command "nope"' }),
    rec(3, { command: ['event', 'AddToCart'], events: [ev('AddToCart', 'e2', 1003)] }),
    rec(4, { command: ['event', 'Big'], events: [ev('Big', 'e3', 1004)] }),
    rec(5, { command: ['event', 'Later'], events: [ev('Later', 'e4', 1005)] }),
    rec(6, { command: ['event', 'Bad'], events: [ev('Bad', 'e5', 1006)] }),
  ],
  deliveries: {
    e1: { state: 'accepted', by: 'companion', at: 2000 },
    e2: { state: 'duplicate', by: 'companion', at: 2000, warning: 'timestamp: is 3 days ahead' },
    e3: { state: 'rejected', by: 'companion', field: 'data', reason: 'data: too deep', at: 3000 },
    e4: { state: 'queued', reason: 'unreachable (fetch failed)', at: 3500 },
    e5: { state: 'rejected', by: 'extension', field: 'eventName', reason: 'eventName: too long', at: 1006 },
  },
};

describe('captureExport (JSON)', () => {
  it('keeps every record and delivery, the rejected pushes and unsent events included, with a summary', () => {
    const doc = JSON.parse(JSON.stringify(captureExport(src, '0.1.0', Date.UTC(2026, 10, 29, 23, 30))));
    expect(doc).toMatchObject({ format: 'visitor-lab-capture', version: 1, exportedAt: '2026-11-29T23:30:00.000Z', creator: { name: 'visitor-lab-extension', version: '0.1.0' }, tab: { tabId: 5, url: src.url } });
    expect(doc.records).toEqual(src.records);
    expect(doc.deliveries).toEqual(src.deliveries);
    expect(doc.summary).toEqual({ records: 6, rejectedInPage: 1, events: 5, byState: { accepted: 1, duplicate: 1, rejected: 1, queued: 1, 'rejected by the extension': 1 } });
  });
});

describe('captureHar', () => {
  const har = JSON.parse(JSON.stringify(captureHar(src, 'http://127.0.0.1:9081', '0.1.0')));

  it('one entry per intake answer, with the events sent and the answer given', () => {
    expect(har.log.version).toBe('1.2');
    expect(har.log.creator).toEqual({ name: 'visitor-lab-extension', version: '0.1.0' });
    expect(har.log.entries).toHaveLength(2);
    const [first, second] = har.log.entries;
    expect(first.request).toMatchObject({ method: 'POST', url: 'http://127.0.0.1:9081/server/events' });
    expect(JSON.parse(first.request.postData.text).map((e: GtEvent) => e.eventID)).toEqual(['e1', 'e2']);
    // Sent as the tracker sent them: none of the companion's fields.
    expect(JSON.parse(first.request.postData.text)[0]).toEqual(src.records[0].events[0]);
    expect(first.startedDateTime).toBe(new Date(2000).toISOString());
    expect(JSON.parse(first.response.content.text)).toEqual({
      accepted: 1,
      duplicate: 1,
      rejected: 0,
      results: [
        { index: 0, eventID: 'e1', status: 'accepted' },
        { index: 1, eventID: 'e2', status: 'duplicate', warnings: [{ field: 'timestamp', reason: 'is 3 days ahead' }] },
      ],
    });
    expect(second.response.status).toBe(400);
    expect(JSON.parse(second.response.content.text).results).toEqual([{ index: 0, eventID: 'e3', status: 'rejected', field: 'data', reason: 'too deep' }]);
  });

  it('says what it leaves to the JSON export, and the companion can replay it', () => {
    expect(har.log.comment).toContain('2 events not answered by the companion');
    expect(har.log.comment).toContain('1 pushes rejected in the page');
    const parsed = parseHar(har);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.value.flatMap((r) => r.events.map((e) => (e as GtEvent).eventID))).toEqual(['e1', 'e2', 'e3']);
  });
});

describe('exportFileName', () => {
  it('names the host and the time', () => {
    const at = Date.UTC(2026, 10, 29, 23, 30, 5, 123);
    expect(exportFileName(src, 'json', at)).toBe('visitor-lab-localhost_8080-2026-11-29T23-30-05Z.json');
    expect(exportFileName({ tabId: 9, url: null }, 'har', at)).toBe('visitor-lab-tab-9-2026-11-29T23-30-05Z.har');
  });
});
