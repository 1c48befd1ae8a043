// No PageExited is lost now that the page sends none when it is left (the worker records it:
// worker/page-exits.ts): navigations, back/forward through the back/forward cache, a tab gone to
// an untracked page, a tab closed, a window closed. Each page view reaches the companion with
// exactly one PageExited, `<pageID>.exit`, no earlier than its PageEntered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TabView } from '../../extension/shared/messages';
import { pageView, startLab, visit, type Lab } from './lab';

let lab: Lab;
beforeAll(async () => {
  lab = await startLab();
});
afterAll(async () => lab?.close());

interface Stored {
  eventID: string;
  eventName: string;
  browserPageID?: string;
  pageID?: string;
  timestamp: number;
}
const browserPage = (e: Stored) => e.browserPageID ?? e.pageID;

/** The visit's stored events of these page views, once each page has its PageExited stored. */
async function exitsStored(visitID: string, pageIDs: string[]): Promise<Stored[]> {
  let events: Stored[] = [];
  await expect
    .poll(
      async () => {
        const res = await lab.api.get(`/server/data/visits/${visitID}/events`);
        events = res.status === 200 ? (res.body as Stored[]) : [];
        return pageIDs.filter((p) => !events.some((e) => e.eventName === 'PageExited' && browserPage(e) === p));
      },
      { timeout: 15_000, interval: 200 },
    )
    .toEqual([]);
  for (const p of pageIDs) {
    const mine = events.filter((e) => browserPage(e) === p);
    const exits = mine.filter((e) => e.eventName === 'PageExited');
    expect(exits.map((e) => e.eventID)).toEqual([`${p}.exit`]);
    const entered = mine.find((e) => e.eventName === 'PageEntered')!;
    expect(exits[0].timestamp).toBeGreaterThanOrEqual(entered.timestamp);
  }
  return events;
}

const pageIDsOf = (view: TabView) => [...new Set(view.records.filter((r) => r.events.some((e) => e.eventName === 'PageEntered')).map((r) => r.ids.pageID))];

describe('PageExited, recorded without holding up the navigation', () => {
  it('navigations, back and forward (bfcache), then an untracked page: every page view exited once', async () => {
    const page = await lab.browser.browser.newPage();
    await visit(lab.browser, page, lab.shop.url('/'));
    await visit(lab.browser, page, lab.shop.url('/cacheable'));
    await page.evaluate(() => ((window as unknown as { __kept: number }).__kept = 1));
    await pageView(lab.browser, page, () => Promise.all([page.waitForNavigation(), page.click('a[href="/products"]')]));
    await pageView(lab.browser, page, () => page.goBack());
    // The same document came back: a return from the back/forward cache, a new page view.
    expect(await page.evaluate(() => (window as unknown as { __kept?: number }).__kept)).toBe(1);
    await pageView(lab.browser, page, () => page.goForward());
    const view = await visit(lab.browser, page, lab.shop.url('/cart'));
    const pages = pageIDsOf(view);
    expect(pages).toHaveLength(6);
    // In the tab's log the exit sits before the next page's PageEntered, as it happened.
    const names = view.records.flatMap((r) => r.events.map((e) => e.eventName)).filter((n) => n.startsWith('Page'));
    expect(names).toEqual(['PageEntered', ...Array(5).fill(['PageExited', 'PageEntered']).flat()]);
    await exitsStored(view.ids!.visitID, pages.slice(0, -1));
    // Off to a page no tracker runs in: the last tracked page is exited then.
    await page.goto('about:blank');
    await exitsStored(view.ids!.visitID, pages);
    await page.close();
  });

  it('a closed tab: its last page is exited', async () => {
    const page = await lab.browser.browser.newPage();
    await visit(lab.browser, page, lab.shop.url('/products'));
    const view = await visit(lab.browser, page, lab.shop.url('/login'));
    await page.close();
    await exitsStored(view.ids!.visitID, pageIDsOf(view));
  });

  it('a closed window: the last page of each of its tabs is exited', async () => {
    const urls = [lab.shop.url('/cart'), lab.shop.url('/products')];
    const sw = await lab.browser.worker();
    const { windowId, tabIds } = await sw.evaluate(async (u) => {
      const chrome = (globalThis as unknown as { chrome: typeof import('wxt/browser').browser }).chrome;
      const win = await chrome.windows.create({ url: u });
      return { windowId: win!.id!, tabIds: win!.tabs!.map((t) => t.id!) };
    }, urls);
    expect(tabIds).toHaveLength(2);
    const views: TabView[] = [];
    for (const tabId of tabIds) {
      await expect.poll(async () => (await lab.browser.ask<TabView>({ type: 'tab:get', tabId })).ids?.pageID ?? '', { timeout: 15_000 }).not.toBe('');
      views.push(await lab.browser.ask<TabView>({ type: 'tab:get', tabId }));
    }
    await sw.evaluate((id) => (globalThis as unknown as { chrome: typeof import('wxt/browser').browser }).chrome.windows.remove(id), windowId);
    await exitsStored(views[0].ids!.visitID, views.map((v) => v.ids!.pageID));
  });
});
