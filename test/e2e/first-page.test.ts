// A browser started with the extension tracks its very first page (issue 11): what every suite
// does is launch chromium with --load-extension, open a page and go to the site at once, with no
// wait for the worker to register the tracker. Five fresh profiles in a row, each page opened the
// moment the browser is up; the page's PageEntered must reach the companion every time.
import puppeteer, { type Browser, type Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTENSION_ID } from '../../companion/server/extension-id';
import { CHROMIUM, EXTENSION_DIR, newProfile } from '../helpers/browser';
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

/** Chromium as a suite starts it: the extension on the command line, nothing waited for. */
async function launch(profile: string): Promise<Browser> {
  return puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    pipe: true,
    enableExtensions: [EXTENSION_DIR],
    userDataDir: profile,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A message to the worker from an extension page, as the popup sends it. */
async function ask<T>(browser: Browser, msg: unknown): Promise<T> {
  const page = await browser.newPage();
  await page.goto(`chrome-extension://${EXTENSION_ID}/popup.html?helper`);
  const answer = (await page.evaluate((m) => (globalThis as any).chrome.runtime.sendMessage(m), msg as never)) as T;
  await page.close();
  return answer;
}

interface Stored {
  eventName: string;
  url?: string;
  browserPageID?: string;
}

/** The extension's tracker owns the page's `_gt` (gt-queue.ts marks it). */
const tracked = (page: Page) => page.evaluate(() => Boolean((window as unknown as { _gt?: Record<string, unknown> })._gt?.__visitorLab));

describe('the first page of a browser started with the extension', () => {
  it('is tracked every time, five fresh browsers in a row, with no wait before it', async () => {
    for (let run = 1; run <= 5; run++) {
      const profile = await newProfile();
      const browser = await launch(profile);
      try {
        const page = await browser.newPage();
        const url = shop.url(`/products?first=${run}`);
        await page.goto(url, { waitUntil: 'load' });
        // The page is there; only now is the extension pointed at this test's companion (what it
        // captured waits in the outbox meanwhile).
        await ask(browser, { type: 'settings:set', companionUrl: companion.url });
        await expect.poll(() => tracked(page), { timeout: 10_000, message: `run ${run}: the first page got no tracker` }).toBe(true);
        // Exactly one tracker: one PageEntered for the page view, in a visit that began there.
        let events: Stored[] = [];
        await expect
          .poll(
            async () => {
              const res = await history.get('/server/data/visits?include_events_detail=true&page_size=1000');
              const visits = res.status === 200 ? (res.body as Array<{ events: Stored[] | null }>) : [];
              events = visits.flatMap((v) => v.events ?? []).filter((e) => e.url === url);
              return events.filter((e) => e.eventName === 'PageEntered').length;
            },
            { timeout: 15_000, interval: 200, message: `run ${run}: the first page's PageEntered never reached the companion` },
          )
          .toBe(1);
        expect(events.filter((e) => e.eventName === 'VisitStarted')).toHaveLength(1);
      } finally {
        await browser.close().catch(() => undefined);
        removeDir(profile);
      }
    }
  }, 180_000);
});
