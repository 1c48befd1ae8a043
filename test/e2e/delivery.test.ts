// Nothing captured is lost and nothing is counted twice: with the companion stopped mid-visit,
// the service worker stopped mid-queue, the browser restarted with events waiting, a tab closed.
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TabView } from '../../extension/shared/messages';
import { launchLab, newProfile } from '../helpers/browser';
import { removeDir, testCompanion } from '../helpers/companion';
import { openPopup, pageViews, startLab, visit, type Lab } from './lab';

let lab: Lab;
let profile: string;

const captured = (view: TabView) => view.records.flatMap((r) => r.events);

/** Browses a few pages without waiting for delivery (the companion may be down). */
/**
 * Visits each path and waits until its page view is captured (the relay comes after the load,
 * and the previous page's PageExited is recorded by the worker only then), not delivered: the
 * companion may be down.
 */
async function browse(page: Page, paths: string[]): Promise<void> {
  for (const p of paths) {
    const before = pageViews(await lab.browser.tabView(page));
    await page.goto(lab.shop.url(p), { waitUntil: 'load' });
    await expect.poll(async () => pageViews(await lab.browser.tabView(page)), { timeout: 15_000, interval: 100 }).toBeGreaterThan(before);
  }
}

/** A new tab on the home page (delivered), then the companion stops and `paths` are browsed. */
async function browseThroughOutage(paths: string[]): Promise<Page> {
  const page = await lab.browser.browser.newPage();
  await visit(lab.browser, page, lab.shop.url('/'));
  await stopCompanion();
  await browse(page, paths);
  return page;
}

async function stopCompanion(): Promise<void> {
  await lab.companion.close();
}
async function restartCompanion(): Promise<void> {
  const { port, dataDir } = lab.companion;
  lab.companion = await testCompanion({ port, dataDir });
}

/** Polls the worker (which re-checks the companion and flushes) until nothing waits. */
async function drained(page: Page): Promise<TabView> {
  await expect.poll(async () => (await lab.browser.tabView(page)).waiting, { timeout: 20_000, interval: 200 }).toBe(0);
  return lab.browser.tabView(page);
}

/** Every captured event is stored, and no event is stored twice. */
async function expectStoredOnce(views: TabView[]): Promise<void> {
  const ids = views.flatMap(captured).map((e) => e.eventID);
  const visitIDs = [...new Set(views.flatMap(captured).map((e) => e.visitID))];
  const stored: string[] = [];
  for (const v of visitIDs) {
    const { body } = await lab.api.get(`/server/data/visits/${v}/events`);
    stored.push(...body.map((e: { eventID: string }) => e.eventID));
  }
  // The visit also holds other tabs' events (same browser session): each of these once.
  expect(stored.length).toBe(new Set(stored).size);
  for (const id of ids) expect(stored).toContain(id);
}

beforeAll(async () => {
  profile = await newProfile();
  lab = await startLab({ profile });
});
afterAll(async () => {
  await lab?.close();
  removeDir(profile);
});

describe('delivery when things go wrong', () => {
  it('the companion stopped mid-visit and restarted: every event arrives, once; the popup says it was down', async () => {
    const page = await browseThroughOutage(['/products', '/products/sku-2', '/cart']);
    await page.click('#nav-home');
    await page.waitForSelector('#nav-products');

    const popup = await openPopup(lab.browser, page);
    await popup.waitForSelector('#companion-status[data-reachable="false"]', { timeout: 10_000 });
    const waiting = Number(await popup.$eval('#companion-status', (e) => (e as HTMLElement).dataset.waiting));
    expect(waiting).toBeGreaterThanOrEqual(7);
    expect(await popup.$eval('#companion-status', (e) => e.textContent)).toContain('Companion unreachable');
    expect(await popup.$$eval('[data-delivery="queued"]', (els) => els.length)).toBeGreaterThanOrEqual(7);

    await restartCompanion();
    const view = await drained(page);
    await popup.waitForSelector('#companion-status[data-reachable="true"][data-waiting="0"]', { timeout: 10_000 });
    await popup.close();
    expect(captured(view).every((e) => ['accepted', 'duplicate'].includes(view.deliveries[e.eventID]?.state))).toBe(true);
    await expectStoredOnce([view]);
    await page.close();
  });

  it('the service worker stopped mid-queue: nothing lost, nothing twice', async () => {
    const page = await browseThroughOutage(['/products', '/products/sku-1']);
    await page.click('#add-to-cart');
    await page.waitForFunction(() => document.querySelector('#cart-status')?.textContent?.includes('Added'));
    // In the worker's queue (the companion is down) before the worker is stopped: what this test
    // is about. A batch still on its way from the page at that moment is another case (it was
    // lost once in a CI run; see the issue 12 note), not this one.
    await expect.poll(async () => captured(await lab.browser.tabView(page)).some((e) => e.eventName === 'AddToCart'), { timeout: 10_000 }).toBe(true);
    // MV3 stops idle workers; puppeteer's close is the same for the worker (its memory is gone).
    await (await lab.browser.worker()).close();
    await browse(page, ['/cart']);
    await (await lab.browser.worker()).close();
    await restartCompanion();
    const view = await drained(page);
    expect(captured(view).map((e) => e.eventName)).toContain('AddToCart');
    await expectStoredOnce([view]);
    await page.close();
  });

  it('the browser restarted with events waiting: they go out from storage once it is back', async () => {
    const page = await browseThroughOutage(['/products', '/cart']);
    const before = await lab.browser.tabView(page);
    expect(before.waiting).toBeGreaterThan(0);
    const waitingIds = captured(before)
      .filter((e) => ['queued', 'sent'].includes(before.deliveries[e.eventID]?.state))
      .map((e) => e.eventID);
    expect(waitingIds.length).toBeGreaterThan(0);
    await lab.browser.browser.close();

    await restartCompanion();
    lab.browser = await launchLab({ profile });
    // Nothing is asked of the worker (its settings are in the profile): it sends what waits on
    // its own start.
    const stored = async () => ((await lab.api.get(`/server/data/visits/${before.ids!.visitID}/events`)).body ?? []) as Array<{ eventID: string }>;
    await expect
      .poll(async () => {
        const ids = JSON.stringify(await stored());
        return waitingIds.every((id) => ids.includes(id));
      }, { timeout: 20_000 })
      .toBe(true);
    expect(await lab.browser.ask({ type: 'companion:flush' })).toMatchObject({ waiting: 0 });
    const storedIds = (await stored()).map((e) => e.eventID);
    for (const id of waitingIds) expect(storedIds).toContain(id);
    expect(storedIds.length).toBe(new Set(storedIds).size);
  });

  it('a tab closed while on a page: its PageExited is stored', async () => {
    const page = await lab.browser.browser.newPage();
    const view = await visit(lab.browser, page, lab.shop.url('/cart'));
    const pageID = view.ids!.pageID;
    await page.close();
    await expect
      .poll(async () => {
        const { body } = await lab.api.get(`/server/data/visits/${view.ids!.visitID}/events?eventName=PageExited`);
        return Array.isArray(body) ? body.filter((e: { browserPageID: string }) => e.browserPageID === pageID).length : 0;
      }, { timeout: 15_000 })
      .toBe(1);
    const { body: pages } = await lab.api.get(`/server/data/visits/${view.ids!.visitID}/pages`);
    const closed = pages.find((p: { browserPageID: string }) => p.browserPageID === pageID);
    expect(closed.endDate).toBeGreaterThan(0);
  });

  it('a page that does not finish loading still gets its relay: its records arrive while it loads', async () => {
    const page = await lab.browser.browser.newPage();
    await page.goto(lab.shop.url('/slow'), { waitUntil: 'domcontentloaded' }); // its image takes 10 s
    const ids = await page.evaluate(() => new Promise<{ pageID: string; visitID: string }>((r) => (window as any)._gt.push(['getIDs', r])));
    await expect
      .poll(async () => {
        const { body } = await lab.api.get(`/server/data/visits/${ids.visitID}/events?eventName=PageEntered`);
        return Array.isArray(body) && body.some((e: { browserPageID: string }) => e.browserPageID === ids.pageID);
      }, { timeout: 8_000 })
      .toBe(true);
    expect(await page.evaluate(() => document.readyState)).not.toBe('complete');
    await page.close();
  });

  it('a page left before it finished loading (so before its relay came): the next page sends its records', async () => {
    const page = await lab.browser.browser.newPage();
    await page.goto(lab.shop.url('/slow'), { waitUntil: 'domcontentloaded' }); // its image takes 10 s
    const slowPageID = await page.evaluate(() => new Promise<string>((r) => (window as any)._gt.push(['getIDs', (ids: { pageID: string }) => r(ids.pageID)])));
    const view = await visit(lab.browser, page, lab.shop.url('/products'));
    const visitID = view.ids!.visitID;
    await expect
      .poll(async () => {
        const { body } = await lab.api.get(`/server/data/visits/${visitID}/events`);
        return Array.isArray(body) ? body.filter((e: { browserPageID: string }) => e.browserPageID === slowPageID).map((e: { eventName: string }) => e.eventName).sort() : [];
      }, { timeout: 15_000 })
      .toEqual(['PageEntered', 'PageExited']);
    await page.close();
  });
});
