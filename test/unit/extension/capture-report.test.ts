// The worker's capture report (extension/worker/capture-report.ts): what capture records tell
// their run, batched and kept in storage (faked) until the companion answers, the report in
// flight resent as it is after a failure or a worker restart, and sent by the courier before the
// run's events (a loopback server records the order).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAPTURE_REPORTS_KEY, CaptureReports, captureReportsOf, commandName, reportOfRecords } from '../../../extension/worker/capture-report';
import { Courier } from '../../../extension/worker/delivery';
import { Outbox } from '../../../extension/worker/outbox';
import { CaptureLog } from '../../../extension/worker/capture-log';
import { capture } from '../../../extension/worker/router';
import { settingsStore } from '../../../extension/worker/settings';
import type { CaptureRecord } from '../../../extension/shared/capture';
import { MAX_REPORT_CAPTURED, type CaptureReport } from '../../../protocol/runs';
import { systemRecord } from './capture-records';
import { memoryArea } from './memory-area';

const rejectedRecord = (pageID: string, seq: number): CaptureRecord => ({
  ...systemRecord(pageID, seq, 1000, []),
  source: 'page',
  command: ['event', 42],
  outcome: 'rejected',
  reason: "['event', name]: the name must be a string",
});

const endpoint = (url = 'http://companion.test') => Promise.resolve({ url, headers: {} });

/** A fetch that records what it was sent and answers `status`. */
function fakeFetch(status: number | (() => number)) {
  const sent: Array<{ url: string; report: CaptureReport }> = [];
  const impl = (async (url: string, init: RequestInit) => {
    sent.push({ url, report: JSON.parse(init.body as string) });
    return new Response('{}', { status: typeof status === 'number' ? status : status() });
  }) as unknown as typeof fetch;
  return { sent, impl };
}

describe('what capture records tell their run', () => {
  it('names events captured, commands the tracker rejected (with page and visit) and events the extension refused', () => {
    const ok = systemRecord('p1', 1, 1000, ['VisitStarted', 'PageEntered'], { pageUrl: 'http://shop/login' });
    const bad = rejectedRecord('p1', 2);
    const refused = new Map([[ok.events[1].eventID, 'data.title: must be a string']]);
    expect(reportOfRecords([ok, bad], refused)).toEqual({
      captured: [{ eventID: ok.events[0].eventID, eventName: 'VisitStarted', visitId: 'v' }],
      rejected: [
        { by: 'extension', eventID: ok.events[1].eventID, eventName: 'PageEntered', visitId: 'v', url: 'http://shop/login', reason: 'data.title: must be a string' },
        { by: 'tracker', eventName: 'event', visitId: 'v', url: 'http://shop/p1', reason: "['event', name]: the name must be a string" },
      ],
    });
    expect(commandName(['event', 'SignIn', {}])).toBe('event SignIn');
    expect(commandName(null)).toBe('a null command');
  });
});

describe('the report kept until the companion answers', () => {
  it('notes nothing without a run; batches what waits, a run at a time, at most 1000 events a report', async () => {
    const area = memoryArea();
    const reports = new CaptureReports(area);
    await reports.note('', [systemRecord('p0', 1, 1000, ['VisitStarted'])]);
    await reports.note(undefined, [rejectedRecord('p0', 2)]);
    expect(area.data.has(CAPTURE_REPORTS_KEY)).toBe(false);

    const records = Array.from({ length: 12 }, (_, i) => systemRecord('p1', i, 1000, Array.from({ length: 100 }, () => 'Custom')));
    await reports.note('run-a', records);
    await reports.note('run-a', [rejectedRecord('p1', 99)]);
    await reports.note('run-b', [systemRecord('p2', 1, 1000, ['VisitStarted'])]);
    const { sent, impl } = fakeFetch(200);
    expect(await reports.sendOne(endpoint(), impl)).toBe('sent');
    expect(await reports.sendOne(endpoint(), impl)).toBe('sent');
    expect(await reports.sendOne(endpoint(), impl)).toBe('sent');
    expect(await reports.sendOne(endpoint(), impl)).toBe('empty');
    expect(sent.map((s) => [s.url, s.report.captured.length, s.report.rejected.length])).toEqual([
      ['http://companion.test/lab/runs/run-a/captures', MAX_REPORT_CAPTURED, 1],
      ['http://companion.test/lab/runs/run-a/captures', 200, 0],
      ['http://companion.test/lab/runs/run-b/captures', 1, 0],
    ]);
    expect(new Set(sent.map((s) => s.report.batch)).size).toBe(3);
  });

  it('resends the report in flight as it was (same batch) after a failure and after the worker restarts', async () => {
    const area = memoryArea();
    await new CaptureReports(area).note('run-a', [rejectedRecord('p1', 1)]);
    const down = fakeFetch(503);
    const first = new CaptureReports(area);
    expect(await first.sendOne(endpoint(), down.impl)).toEqual({ url: 'http://companion.test', failure: 'capture report: HTTP 503' });
    await first.note('run-a', [systemRecord('p1', 2, 1000, ['PageExited'])]); // comes after: the next report
    const unreachable = (async () => {
      throw new Error('connection refused');
    }) as unknown as typeof fetch;
    expect(await first.sendOne(endpoint(), unreachable)).toMatchObject({ failure: expect.stringContaining('unreachable') });
    // A new worker finds both in storage.
    const restarted = new CaptureReports(area);
    const up = fakeFetch(200);
    expect(await restarted.sendOne(endpoint(), up.impl)).toBe('sent');
    expect(await restarted.sendOne(endpoint(), up.impl)).toBe('sent');
    expect(up.sent[0].report.batch).toBe(down.sent[0].report.batch);
    expect(up.sent[0].report.rejected).toHaveLength(1);
    expect(up.sent[1].report.captured.map((c) => c.eventName)).toEqual(['PageExited']);
    expect(await restarted.pending()).toEqual({ runs: {}, inFlight: null });
  });

  it('drops what waits for a run the companion no longer knows (404)', async () => {
    const reports = new CaptureReports(memoryArea());
    const many = Array.from({ length: 11 }, (_, i) => systemRecord('p1', i, 1000, Array.from({ length: 100 }, () => 'Custom')));
    await reports.note('run-gone', many);
    const gone = fakeFetch(404);
    expect(await reports.sendOne(endpoint(), gone.impl)).toBe('sent');
    expect(await reports.sendOne(endpoint(), gone.impl)).toBe('empty');
    expect(gone.sent).toHaveLength(1);
  });
});

describe('the courier sends the report before the run’s events', () => {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      seen.push(`${req.url} ${req.headers['x-lab-run'] ?? ''}`.trim());
      res.setHeader('content-type', 'application/json');
      if (req.url === '/server/events') res.end(JSON.stringify({ results: (JSON.parse(body) as unknown[]).map((_, index) => ({ index, status: 'accepted' })) }));
      else res.end(JSON.stringify({ runId: 'run-7', captured: 1, rejected: 0, repeated: false }));
    });
  });
  let url = '';
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('over HTTP: /lab/runs/{runId}/captures, then /server/events with X-Lab-Run', async () => {
    const outbox = new Outbox(memoryArea());
    const courier = new Courier({ outbox, endpoint: () => endpoint(url), report: async () => {} });
    const record = systemRecord('p1', 1, 1000, ['VisitStarted']);
    await captureReportsOf(outbox).note('run-7', [record]);
    await outbox.add(record.events, 1, 'run-7');
    await courier.flush(true);
    expect(seen).toEqual(['/lab/runs/run-7/captures', '/server/events run-7']);
    expect(await outbox.size()).toBe(0);
    expect((await captureReportsOf(outbox).pending()).inFlight).toBeNull();
  });
});

describe('the capture path notes what it captured for the run', () => {
  it('a record with an event the extension refuses and a rejected command, in a run; nothing in no run', async () => {
    const area = memoryArea();
    const settings = settingsStore(area, async () => ({ runId: 'run-9' }));
    const outbox = new Outbox(area);
    const w = { settings, log: new CaptureLog(memoryArea()), outbox, courier: { flush: async () => undefined } };
    const record = systemRecord('p1', 1, 1000, ['VisitStarted', 'PageEntered']);
    (record.events[1] as { timestamp: unknown }).timestamp = 'soon'; // the protocol check refuses it
    expect(await capture(w as never, 1, record)).toBe(true);
    expect(await capture(w as never, 1, rejectedRecord('p1', 2))).toBe(true);
    const waiting = (await captureReportsOf(outbox).pending()).runs['run-9'];
    expect(waiting.captured).toEqual([{ eventID: record.events[0].eventID, eventName: 'VisitStarted', visitId: 'v' }]);
    expect(waiting.rejected).toEqual([
      expect.objectContaining({ by: 'extension', eventID: record.events[1].eventID, reason: expect.stringContaining('timestamp') }),
      expect.objectContaining({ by: 'tracker', eventName: 'event', url: 'http://shop/p1' }),
    ]);
    // The run stopped in this browser: what comes next is told to no run.
    (await settings.get()).runId = '';
    await capture(w as never, 1, systemRecord('p2', 1, 2000, ['PageEntered']));
    expect((await captureReportsOf(outbox).pending()).runs['run-9'].captured).toHaveLength(1);
    expect(Object.keys((await captureReportsOf(outbox).pending()).runs)).toEqual(['run-9']);
  });
});
