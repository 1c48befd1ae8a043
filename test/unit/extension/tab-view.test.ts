// tab:get with a limit: the popup's first screen gets the newest records only, while the
// visitor state still comes from the whole log.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { CaptureRecord } from '../../../extension/shared/capture';
import type { TabView } from '../../../extension/shared/messages';
import type { Worker } from '../../../extension/worker/router';

// wxt/browser is `globalThis.chrome` outside a WXT build: the little of it tabView uses.
vi.hoisted(() => {
  (globalThis as { chrome?: unknown }).chrome = {
    tabs: { get: async () => ({ url: 'http://localhost:8080/products' }) },
    permissions: { contains: async () => true },
  };
});

let route: typeof import('../../../extension/worker/router').route;
beforeAll(async () => {
  ({ route } = await import('../../../extension/worker/router'));
});

function record(seq: number, eventName: string): CaptureRecord {
  const ids = { globalVisitID: 'g', visitID: 'v1', pageID: 'p1' };
  return {
    seq,
    at: 1000 + seq,
    source: 'page',
    command: ['event', eventName],
    outcome: 'event',
    events: [{ eventType: eventName === 'SignIn' ? 'SYSTEM' : 'BUSINESS', eventName, eventID: `e${seq}`, pageID: 'p1', timestamp: 1000 + seq, globalVisitID: 'g', visitID: 'v1', data: { userId: 'ann' } }],
    ids,
    page: { url: 'http://localhost:8080/products', title: 'Products' },
  };
}

const records = Array.from({ length: 1000 }, (_, i) => record(i + 1, i === 0 ? 'SignIn' : 'AddToCart'));
const deliveries = Object.fromEntries(records.map((r) => [`e${r.seq}`, { state: 'accepted' as const, at: 0 }]));
const worker = {
  log: { get: async () => ({ url: 'http://localhost:8080/products', ids: records[0].ids, records, deliveries }) },
  courier: { status: { url: 'http://127.0.0.1:9081', reachable: true, checkedAt: Date.now() + 60_000 } },
  outbox: { size: async () => 0 },
  companion: { auth: null },
  settings: { get: async () => ({ companionUrl: 'http://127.0.0.1:9081', enabledHosts: [], disabledHosts: [] }) },
  checkCompanion: async () => undefined,
} as unknown as Worker;

describe('tab:get', () => {
  it('with a limit: the newest records and their deliveries, the total, and the state from the whole log', async () => {
    const view = (await route(worker, { type: 'tab:get', tabId: 1, limit: 50 }, undefined, true)) as TabView;
    expect(view.records.map((r) => r.seq)).toEqual(records.slice(950).map((r) => r.seq));
    expect(Object.keys(view.deliveries)).toHaveLength(50);
    expect(view.deliveries.e1).toBeUndefined();
    expect(view.total).toBe(1000);
    // The SignIn is the oldest record, outside the 50 sent: the state still counts it.
    expect(view.localState).toBe('Authenticated');
  });

  it('without a limit (or one larger than the log): everything', async () => {
    for (const limit of [undefined, 5000]) {
      const view = (await route(worker, { type: 'tab:get', tabId: 1, limit }, undefined, true)) as TabView;
      expect(view.records).toHaveLength(1000);
      expect(view.deliveries).toBe(deliveries);
      expect(view.total).toBe(1000);
    }
  });
});
