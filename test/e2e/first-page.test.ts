// A browser started with the extension tracks its very first page (issue 11): what every suite
// does is launch chromium with --load-extension, open a page and go to the site at once, with no
// wait for the worker to register the tracker. Five fresh profiles in a row, each page opened the
// moment the browser is up; the page's PageEntered must reach the companion every time, for a
// built-in site and for one the helper library's preset enables. Without the worker's catch-up
// (worker/sites.ts) the first of these failed in 1 or 2 runs of 5.
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extensionDir } from '../../testing/extension-dir';
import { launchSuiteBrowser } from '../helpers/browser';
import { api, removeDir, testCompanion, type Api, type TestCompanion } from '../helpers/companion';
import { startShop, type Shop } from './site/shop';

let companion: TestCompanion;
let shop: Shop;
let history: Api;
beforeAll(async () => {
  companion = await testCompanion();
  history = api(companion.url);
  shop = await startShop({ companionUrl: companion.url });
});
afterAll(async () => {
  await shop?.close();
  await companion?.close();
  if (companion) removeDir(companion.dataDir);
});

interface Stored {
  eventName: string;
  url?: string;
}

/** The extension's tracker owns the page's `_gt` (gt-queue.ts marks it). */
const tracked = (page: Page) => page.evaluate(() => Boolean((window as unknown as { _gt?: Record<string, unknown> })._gt?.__visitorLab));

/** The companion's events of the page at `url`, once its PageEntered is there. */
async function storedOf(url: string, run: number): Promise<Stored[]> {
  let events: Stored[] = [];
  await expect
    .poll(
      async () => {
        const res = await history.get('/server/data/visits?include_events_detail=true&page_size=1000');
        const visits = res.status === 200 ? (res.body as Array<{ events: Stored[] | null }>) : [];
        events = visits.flatMap((v) => v.events ?? []).filter((e) => e.url === url);
        return events.some((e) => e.eventName === 'PageEntered');
      },
      { timeout: 15_000, interval: 200, message: `run ${run}: the first page's PageEntered never reached the companion` },
    )
    .toBe(true);
  return events;
}

/**
 * Five fresh browsers, each loading the extension folder a suite would get (helper library's
 * extensionDir: its preset names the companion and the extra sites) and going to `url(run)` the
 * moment it is up. Each first page is tracked by exactly one tracker.
 */
async function firstPages(sites: string[], url: (run: number) => string): Promise<void> {
  const dir = await extensionDir({ url: companion.url }, { sites });
  try {
    for (let run = 1; run <= 5; run++) {
      const suite = await launchSuiteBrowser(dir, ['--host-resolver-rules=MAP *.test 127.0.0.1']);
      const browser = suite.browser;
      try {
        const page = await browser.newPage();
        await page.goto(url(run), { waitUntil: 'load' });
        await expect.poll(() => tracked(page), { timeout: 10_000, message: `run ${run}: the first page got no tracker` }).toBe(true);
        const events = await storedOf(url(run), run);
        // One tracker: one page view, one visit started (a second tracker would add its own).
        await new Promise((r) => setTimeout(r, 300));
        const again = await storedOf(url(run), run);
        expect(again.filter((e) => e.eventName === 'PageEntered')).toHaveLength(1);
        expect(again.filter((e) => e.eventName === 'VisitStarted')).toHaveLength(1);
        expect(events.length).toBeLessThanOrEqual(again.length);
      } finally {
        await suite.close();
      }
    }
  } finally {
    removeDir(dir);
  }
}

describe('the first page of a browser started with the extension', () => {
  it('a built-in site (127.0.0.1): tracked every time, five fresh browsers in a row, with no wait before it', async () => {
    await firstPages([], (run) => shop.url(`/products?first=${run}`));
  }, 180_000);

  it('a site the preset enables (shop.test): tracked from the first page too', async () => {
    const port = new URL(shop.url('/')).port;
    await firstPages(['shop.test'], (run) => `http://shop.test:${port}/products?preset=${run}`);
  }, 180_000);
});
