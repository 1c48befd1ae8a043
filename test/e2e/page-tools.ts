// What a page sees of its own requests, and what the companion answered them (chromium's
// network log): shared by the e2e tests of what pages and extensions may do.
import type { Page } from 'puppeteer';
import { expect } from 'vitest';

export type Outcome = { rejected: string } | { type: string; status: number; body: string };

/** `fetch` run by the page itself: what the page gets to see. */
export function pageFetch(page: Page, url: string, init: { method?: string; mode?: string; credentials?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Outcome> {
  return page.evaluate(
    async (u, i) => {
      try {
        const res = await fetch(u, i as RequestInit);
        return { type: res.type, status: res.status, body: await res.text() };
      } catch (e) {
        return { rejected: String(e) };
      }
    },
    url,
    init,
  );
}

export const OPAQUE = { type: 'opaque', status: 0, body: '' };
export const CORS_ERROR = { rejected: 'TypeError: Failed to fetch' };
/** What a no-cors request may give the page: an opaque, empty response, or a network error. */
export const UNREADABLE = [OPAQUE, CORS_ERROR];

/**
 * What the companion answered, seen from outside the page (chromium's network log): proves the
 * companion itself refused, not that the request never left the browser. A response CORS blocks
 * never reaches puppeteer's 'response' event, but its status is in `responseReceivedExtraInfo`.
 */
export async function network(page: Page): Promise<(method: string, url: string) => number[]> {
  const cdp = await page.createCDPSession();
  const requests = new Map<string, { method: string; url: string }>();
  const statuses = new Map<string, number>();
  cdp.on('Network.requestWillBeSent', (e) => requests.set(e.requestId, { method: e.request.method, url: e.request.url }));
  cdp.on('Network.responseReceivedExtraInfo', (e) => statuses.set(e.requestId, e.statusCode));
  await cdp.send('Network.enable');
  return (method, url) =>
    [...requests]
      .filter(([id, r]) => r.method === method && r.url === url && statuses.has(id))
      .map(([id]) => statuses.get(id)!);
}

export type Seen = Awaited<ReturnType<typeof network>>;

/** Waits for the companion's answers to `method url` (the log lags behind the page a little). */
export async function answered(seen: Seen, method: string, url: string, statuses: number[]): Promise<void> {
  await expect.poll(() => seen(method, url), { timeout: 5000, interval: 20, message: `${method} ${url}` }).toEqual(statuses);
}
