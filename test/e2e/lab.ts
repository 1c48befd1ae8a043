// The e2e set-up: the real companion on a loopback port, the test shop, and chromium with the
// built extension pointed at that companion.
import type { Page } from 'puppeteer';
import { expect } from 'vitest';
import type { TabView } from '../../extension/shared/messages';
import type { CompanionOptions } from '../../companion/companion';
import { launchLab, type LabBrowser } from '../helpers/browser';
import { api, removeDir, testCompanion, type Api, type TestCompanion } from '../helpers/companion';
import { startShop, type Shop, type ShopOptions } from './site/shop';

export interface Lab {
  companion: TestCompanion;
  api: Api;
  shop: Shop;
  browser: LabBrowser;
  close(): Promise<void>;
}

export async function startLab(options: { shop?: ShopOptions; profile?: string; companion?: Partial<CompanionOptions> } = {}): Promise<Lab> {
  const companion = await testCompanion(options.companion);
  const shop = await startShop({ companionUrl: companion.url, ...options.shop });
  const browser = await launchLab({ profile: options.profile });
  await browser.ask({ type: 'settings:set', companionUrl: companion.url });
  return {
    companion,
    api: api(companion.url),
    shop,
    browser,
    async close() {
      await browser.close();
      await shop.close();
      await companion.close();
      removeDir(companion.dataDir);
    },
  };
}

/** Waits until every event the tab captured has the companion's answer. */
export async function settled(lab: LabBrowser, page: Page, timeout = 15_000): Promise<TabView> {
  let view!: TabView;
  await expect
    .poll(
      async () => {
        view = await lab.tabView(page);
        const pending = view.records.flatMap((r) => r.events).filter((e) => {
          const state = view.deliveries[e.eventID]?.state;
          return state === undefined || state === 'queued' || state === 'sent';
        });
        return pending.length;
      },
      { timeout, interval: 100 },
    )
    .toBe(0);
  return view;
}

/** Polls the tab's view until `ok` holds, then waits for delivery. */
export async function until(lab: LabBrowser, page: Page, ok: (view: TabView) => boolean): Promise<TabView> {
  await expect.poll(async () => ok(await lab.tabView(page)), { timeout: 15_000, interval: 100 }).toBe(true);
  return settled(lab, page);
}

/** How many page views the tab's log holds (a PageEntered each). */
export const pageViews = (view: TabView) => view.records.filter((r) => r.events.some((e) => e.eventName === 'PageEntered')).length;

/** Runs `navigate`, waits for the new page view to be captured, then for its delivery. */
export async function pageView(lab: LabBrowser, page: Page, navigate: () => Promise<unknown>): Promise<TabView> {
  const before = page.url().startsWith('http') ? pageViews(await lab.tabView(page)) : 0;
  await navigate();
  await expect.poll(async () => pageViews(await lab.tabView(page)), { timeout: 15_000, interval: 100 }).toBeGreaterThan(before);
  return settled(lab, page);
}

/** Navigates and waits for the page view's records to be delivered. */
export function visit(lab: LabBrowser, page: Page, url: string): Promise<TabView> {
  return pageView(lab, page, () => page.goto(url, { waitUntil: 'load' }));
}

/** The extension's real popup (chrome.action.openPopup) for `page`'s tab. */
export async function openPopup(lab: LabBrowser, page: Page): Promise<Page> {
  await page.bringToFront();
  await lab.inWorker(() => (globalThis as unknown as { chrome: { action: { openPopup(): Promise<void> } } }).chrome.action.openPopup());
  const target = await lab.browser.waitForTarget((t) => t.type() === 'page' && t.url().endsWith('/popup.html'), { timeout: 10_000 });
  const popup = (await target.asPage())!;
  await popup.waitForSelector('#visitor-lab');
  return popup;
}

/** The popup's visitor-state badge once it shows `state` as the companion says it. */
export async function popupState(popup: Page, state: string): Promise<void> {
  await popup.waitForFunction(
    (s) => {
      const el = document.querySelector('#visitor-state') as HTMLElement | null;
      return el?.dataset.state === s && el.dataset.source === 'companion';
    },
    { timeout: 10_000 },
    state,
  );
}

export const text = (page: Page, selector: string) => page.$eval(selector, (e) => (e as HTMLElement).innerText);

/** The full view (timeline.html, the DevTools panel's page) for `page`'s tab, as a tab. */
export async function openPanel(lab: LabBrowser, page: Page): Promise<Page> {
  const tabId = await lab.tabId(page);
  const panel = await lab.browser.newPage();
  await panel.goto(`chrome-extension://${lab.extensionId}/timeline.html?tabId=${tabId}`);
  await panel.waitForSelector('#visitor-lab-panel');
  return panel;
}

/**
 * The accessible names of every mark of the picture in `root`, read as a keyboard user does:
 * Tab stop on the marks, Home, then ArrowRight to the end (crowded marks fold into "+N"
 * clusters on screen, but the focused one is always drawn).
 */
export async function markNames(p: Page, root = '#picture'): Promise<string[]> {
  const focused = () => p.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return { key: el?.dataset.key ?? '', name: el?.getAttribute('aria-label') ?? '' };
  });
  await p.focus(`${root} .vl-mark[aria-label][tabindex="0"]`);
  await p.keyboard.press('Home');
  let last = await focused();
  const names = [last.name];
  for (;;) {
    await p.keyboard.press('ArrowRight');
    // Focus moves once the picture has drawn the next mark (it may have been folded).
    const moved = await p
      .waitForFunction((k) => (document.activeElement as HTMLElement | null)?.dataset.key !== k, { timeout: 1000 }, last.key)
      .then(() => true, () => false);
    if (!moved || names.length > 1000) return names;
    last = await focused();
    names.push(last.name);
  }
}
export const segmentNames = (p: Page, root = '#picture') =>
  p.$$eval(`${root} .vl-seg[aria-label]`, (els) => els.map((e) => e.getAttribute('aria-label')!));
