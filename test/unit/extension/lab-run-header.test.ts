// The worker's delivery says which run its events belong to: X-Lab-Run on POST /server/events,
// over real HTTP (a loopback server that records what it was sent).
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompanionLink } from '../../../extension/worker/companion';
import { Courier } from '../../../extension/worker/delivery';
import { Outbox } from '../../../extension/worker/outbox';
import { settingsStore } from '../../../extension/worker/settings';
import { memoryArea } from './memory-area';

const seen: Array<{ url: string; headers: IncomingHttpHeaders }> = [];
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (d) => (body += d));
  req.on('end', () => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    const events = JSON.parse(body) as unknown[];
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ results: events.map((_, index) => ({ index, status: 'accepted' })) }));
  });
});
let url = '';
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function deliverOne(runId: string): Promise<IncomingHttpHeaders> {
  const area = memoryArea();
  const settings = settingsStore(area, async () => ({ companionUrl: url, runId }));
  const outbox = new Outbox(area);
  const link = new CompanionLink(settings);
  const courier = new Courier({ outbox, endpoint: () => link.endpoint(), report: async () => {} });
  const eventID = `e-${runId || 'none'}-${Date.now()}`;
  await outbox.add([{ eventType: 'SYSTEM', eventName: 'VisitStarted', eventID, timestamp: Date.now(), globalVisitID: 'g', visitID: 'v', pageID: 'p' } as never], 1);
  const before = seen.length;
  await courier.flush(true);
  expect(seen.length).toBe(before + 1);
  expect(await outbox.size()).toBe(0);
  return seen.at(-1)!.headers;
}

describe('X-Lab-Run on delivery', () => {
  it('is sent when the settings hold a run', async () => {
    const headers = await deliverOne('run-42');
    expect(seen.at(-1)!.url).toBe('/server/events');
    expect(headers['x-lab-run']).toBe('run-42');
  });

  it('is absent without one', async () => {
    const headers = await deliverOne('');
    expect(headers['x-lab-run']).toBeUndefined();
  });
});
