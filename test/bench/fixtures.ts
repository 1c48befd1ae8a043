// Data sets for the benchmarks: visits of realistic shape, written through the real store.
import type { StoredEvent } from '../../protocol';
import { Store } from '../../companion/store/store';
import { DEFAULT_ENGINE_CONFIG } from '../../companion/engine';

export const EVENTS_PER_VISIT = 100;

/** The events of one visit: start, pages, business events, a SignIn for every other visit. */
export function visitEvents(n: number, now: number): StoredEvent[] {
  const visitID = `bench-v${n}`;
  const base = { globalVisitID: `bench-g${n % 500}`, visitID, url: `http://shop.test/p${n}`, languageCode: 'en' };
  const out: StoredEvent[] = [];
  const t0 = now - 3600_000 + n;
  for (let i = 0; i < EVENTS_PER_VISIT; i++) {
    const pageID = `p${Math.floor(i / 10)}`;
    let e: Omit<StoredEvent, 'serverTimestamp' | 'browserPageID' | 'visitorState'>;
    if (i === 0) e = { ...base, eventType: 'SYSTEM', eventName: 'VisitStarted', eventID: `${visitID}-${i}`, pageID, timestamp: t0 + i };
    else if (i % 10 === 1) e = { ...base, eventType: 'SYSTEM', eventName: 'PageEntered', eventID: `${visitID}-${i}`, pageID, timestamp: t0 + i, data: { title: `Product ${i}`, referrer: '' } };
    else if (i === 5 && n % 2 === 0) e = { ...base, eventType: 'SYSTEM', eventName: 'SignIn', eventID: `${visitID}-${i}`, pageID, timestamp: t0 + i, data: { email: `user${n % 200}@shop.test`, firstName: 'Bench' } };
    else e = { ...base, eventType: 'BUSINESS', eventName: 'AddToCart', eventID: `${visitID}-${i}`, pageID, timestamp: t0 + i, category: 'cart;shop', data: { sku: `sku-${i}`, price: i * 3 } };
    out.push({ ...e, serverTimestamp: now, browserPageID: pageID, visitorState: 'Anonymous' });
  }
  return out;
}

/** Fills a data directory with `visits` visits (100 events each) and closes it cleanly. */
export async function fillDataDir(dataDir: string, visits: number): Promise<void> {
  const store = await Store.open({ dataDir, engine: DEFAULT_ENGINE_CONFIG, snapshotAfterBytes: 1 << 30 });
  const now = Date.now();
  const pending: Promise<void>[] = [];
  for (let n = 0; n < visits; n++) pending.push(store.commit({ kind: 'events', userAgent: 'bench-agent', events: visitEvents(n, now) }));
  await Promise.all(pending);
  await store.close();
}
