// Data sets for the benchmarks: visits of realistic shape, posted to a running companion over
// HTTP as the tracker would send them (the same validation, journal and engine as real use).
// Every visit, browser and identity has the same shape whatever the scale (2 visits a
// browser, 2 signed-in visits an identity), so at a million events a request does the same
// work as at a thousand, with only more stored around it.
import { performance } from 'node:perf_hooks';
import type { GtEvent } from '../../protocol';

export const EVENTS_PER_VISIT = 100;

export const visitId = (n: number) => `bench-v${n}`;
/** Visits 4k and 4k+2 sign in as the same identity. */
export const identityOf = (n: number) => `user${Math.floor(n / 4)}@shop.test`;

/** The events of visit `n`: start, a page view every 10 events, a SignIn in every other visit, business events. */
export function visitEvents(n: number, now: number): GtEvent[] {
  const visitID = visitId(n);
  const base = { globalVisitID: `bench-g${Math.floor(n / 2)}`, visitID, url: `http://shop.test/p${n}`, languageCode: 'en' };
  const out: GtEvent[] = [];
  const t0 = now - 600_000;
  for (let i = 0; i < EVENTS_PER_VISIT; i++) {
    const pageID = `p${Math.floor(i / 10)}`;
    const head = { ...base, eventID: `${visitID}-${i}`, pageID, timestamp: t0 + i };
    if (i === 0) out.push({ ...head, eventType: 'SYSTEM', eventName: 'VisitStarted' });
    else if (i % 10 === 1) out.push({ ...head, eventType: 'SYSTEM', eventName: 'PageEntered', data: { title: `Product ${i}`, referrer: '' } });
    else if (i === 5 && n % 2 === 0) out.push({ ...head, eventType: 'SYSTEM', eventName: 'SignIn', data: { email: identityOf(n), firstName: 'Bench' } });
    else out.push({ ...head, eventType: 'BUSINESS', eventName: 'AddToCart', category: 'cart;shop', data: { sku: `sku-${i}`, price: i * 3 } });
  }
  return out;
}

/** Posts one batch; throws unless every event was accepted. */
export async function post(url: string, events: unknown[]): Promise<void> {
  const res = await fetch(`${url}/server/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(events) });
  const body = (await res.json()) as { accepted?: number; message?: string };
  if (res.status !== 200 || body.accepted !== events.length) throw new Error(`intake: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
}

export interface PostOptions {
  visitsPerRequest?: number;
  concurrency?: number;
  /** Checked before each request: true ends the run. */
  stop?: () => boolean;
  /** Called with the size of each acknowledged batch. */
  onBatch?: (events: number) => void;
}

export interface Posted {
  events: number;
  ms: number;
}

/**
 * Posts visits [from, to), `visitsPerRequest` visits a request, from `concurrency` clients at
 * once; resolves when all are acknowledged. `stop` ends it early (between requests).
 */
export async function postVisits(
  url: string,
  from: number,
  to: number,
  { visitsPerRequest = 10, concurrency = 4, stop = () => false, onBatch = () => {} }: PostOptions = {},
): Promise<Posted> {
  const t0 = performance.now();
  const now = Date.now();
  let next = from;
  let events = 0;
  const client = async () => {
    while (next < to && !stop()) {
      const first = next;
      next = Math.min(to, next + visitsPerRequest);
      const batch: GtEvent[] = [];
      for (let n = first; n < next; n++) batch.push(...visitEvents(n, now));
      await post(url, batch);
      events += batch.length;
      onBatch(batch.length);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  return { events, ms: performance.now() - t0 };
}
