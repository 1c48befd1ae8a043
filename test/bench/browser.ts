// What the extension costs in the browser: page loads of the test shop with and without it,
// and the popup's first render of a 1,000-event timeline. Debian's chromium, driven by
// puppeteer, with the built extension and the real companion.
import type { Page } from 'puppeteer';
import setup from '../e2e/global-setup';
import { startShop } from '../e2e/site/shop';
import { launchLab, type LabBrowser } from '../helpers/browser';
import { removeDir, testCompanion } from '../helpers/companion';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The shop's pages a visitor walks through: a multi-page visit. */
const PATHS = ['/', '/products', '/products/sku-1', '/products/sku-2', '/cart', '/login'];

/** One page load: navigation start to the end of onload, as the page itself measures it. */
async function load(page: Page, url: string): Promise<number> {
  await page.goto(url, { waitUntil: 'load' });
  return page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd);
}

/**
 * The test helper's extension page (lab.ask) is the popup app, which polls the worker every
 * second: a real user has no such tab open while browsing.
 */
async function closeHelperPages(lab: LabBrowser): Promise<void> {
  for (const p of await lab.browser.pages()) if (p.url().includes('?helper')) await p.close();
}

async function until<T>(what: string, f: () => Promise<T | undefined | false>, timeout = 30_000): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

export interface PageLoadFigures {
  /** Milliseconds of quiet after each load (0: the next load starts at once). */
  pauseMs: number;
  runs: number;
  /** Sum over the pages of each page's median load time. */
  withMs: number;
  withoutMs: number;
  /** Median of the with/without ratios of the two loads of a page made one after the other. */
  ratio: number;
}

/**
 * Each page is loaded in both browsers in turn, the order alternating, so that machine noise
 * falls on both alike; the ratio is the median over those pairs. With `pauseMs`, each load
 * starts on a quiet machine, as when a person browses: without it, what the extension does
 * after a load (the relay, the worker, delivery) overlaps the other browser's next load too.
 */
async function pageLoad(withExt: LabBrowser, without: LabBrowser, url: (p: string) => string, runs: number, pauseMs: number): Promise<PageLoadFigures> {
  await closeHelperPages(withExt);
  const a = await withExt.browser.newPage();
  const b = await without.browser.newPage();
  const times = new Map<string, { with: number[]; without: number[] }>(PATHS.map((p) => [p, { with: [], without: [] }]));
  const ratios: number[] = [];
  let turn = 0;
  for (let i = 0; i < runs + 2; i++) {
    for (const p of PATHS) {
      const order = turn++ % 2 === 0 ? ([['with', a], ['without', b]] as const) : ([['without', b], ['with', a]] as const);
      const pair = { with: 0, without: 0 };
      for (const [name, page] of order) {
        pair[name] = await load(page, url(p));
        if (pauseMs) await sleep(pauseMs);
      }
      if (i < 2) continue; // the first two rounds warm caches and JIT
      times.get(p)!.with.push(pair.with);
      times.get(p)!.without.push(pair.without);
      ratios.push(pair.with / pair.without);
    }
  }
  await a.close();
  await b.close();
  const sum = (name: 'with' | 'without') => PATHS.reduce((n, p) => n + median(times.get(p)![name]), 0);
  return { pauseMs, runs, withMs: sum('with'), withoutMs: sum('without'), ratio: median(ratios) };
}

export interface PopupFigures {
  events: number;
  /** Median ms from the popup's navigation start to its timeline fully in the DOM and laid out. */
  renderMs: number;
  /** The same with a one-page-view timeline (a few events): the baseline. */
  baselineMs: number;
  baselineEvents: number;
  ratio: number;
}

/**
 * Opens the popup as a tab for `tabId` (popup.html?tabId=N, as other views do) and times it
 * from navigation start until its timeline is in the DOM, laid out, for a log of `total`
 * records: every row the timeline shows at first (its newest records; older ones come a page
 * at a time on demand), with the count of the rest.
 */
async function popupRender(lab: LabBrowser, tabId: number, total: number): Promise<number> {
  const page = await lab.browser.newPage();
  // A string, not a function: tsx would wrap a named inner function in a helper the page lacks.
  await page.evaluateOnNewDocument(`
    new MutationObserver(() => {
      const timeline = document.getElementById('timeline');
      if (window.__rendered !== undefined || !timeline || timeline.dataset.total !== '${total}') return;
      if (document.querySelectorAll('#timeline li.record').length < Number(timeline.dataset.shown)) return;
      void document.body.offsetHeight; // style and layout, as the first paint needs them
      window.__rendered = performance.now();
    }).observe(document, { childList: true, subtree: true, attributes: true });
  `);
  await page.goto(`chrome-extension://${lab.extensionId}/popup.html?tabId=${tabId}`);
  const ms = await until('the popup timeline', () => page.evaluate(() => (window as unknown as { __rendered?: number }).__rendered), 15_000);
  await page.close();
  return ms;
}

async function timelineOf(lab: LabBrowser, page: Page): Promise<{ tabId: number; records: number; events: number }> {
  const tabId = await lab.tabId(page);
  const view = await lab.ask<{ records: { events: unknown[] }[] }>({ type: 'tab:get', tabId });
  return { tabId, records: view.records.length, events: view.records.reduce((n, r) => n + r.events.length, 0) };
}

async function popup(lab: LabBrowser, url: (p: string) => string, events: number, runs: number): Promise<PopupFigures> {
  const small = await lab.browser.newPage();
  await small.goto(url('/products'), { waitUntil: 'load' });
  const base = await until('the small timeline', async () => {
    const t = await timelineOf(lab, small);
    return t.records > 0 && t;
  });

  const big = await lab.browser.newPage();
  await big.goto(url('/cart'), { waitUntil: 'load' }); // another URL: tabs are found by URL
  const start = await until('the page view', async () => {
    const t = await timelineOf(lab, big);
    return t.events >= 1 && t; // PageEntered (and VisitStarted when the visit is new)
  });
  // One business event a command, so the timeline has `events` events and about as many rows.
  await big.evaluate((n: number) => {
    const gt = (window as unknown as { _gt: unknown[][] })._gt;
    for (let i = 0; i < n; i++) gt.push(['event', 'BenchEvent', { data: { i, sku: `sku-${i % 3}` } }]);
  }, events - start.events);
  const full = await until('the 1,000 events captured', async () => {
    const t = await timelineOf(lab, big);
    return t.events >= events && t;
  });

  // Delivered first: the popup is timed, not the worker sending 1,000 events meanwhile.
  await until('the events delivered', async () => (await lab.ask<{ waiting: number }>({ type: 'tab:get', tabId: full.tabId, limit: 0 })).waiting === 0);
  await closeHelperPages(lab);
  await sleep(1000);
  const render: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < runs + 1; i++) {
    const r = await popupRender(lab, full.tabId, full.records);
    const b = await popupRender(lab, base.tabId, base.records);
    if (i > 0) {
      render.push(r);
      baseline.push(b);
    }
  }
  await small.close();
  await big.close();
  const renderMs = median(render);
  const baselineMs = median(baseline);
  return { events: full.events, renderMs, baselineMs, baselineEvents: base.events, ratio: renderMs / baselineMs };
}

export async function browserBench(options: { pageRuns?: number; popupRuns?: number } = {}): Promise<{ pageLoad: PageLoadFigures[]; popup: PopupFigures }> {
  return benchWith(async (withExt, without, url) => ({
    pageLoad: [await pageLoad(withExt, without, url, options.pageRuns ?? 12, 300), await pageLoad(withExt, without, url, options.pageRuns ?? 12, 0)],
    popup: await popup(withExt, url, 1000, options.popupRuns ?? 7),
  }));
}

/** Row 5's quiet figure alone (about a minute): `node --import tsx -e` on this, for comparing builds. */
export async function quietPageLoad(runs = 8): Promise<PageLoadFigures> {
  return benchWith((withExt, without, url) => pageLoad(withExt, without, url, runs, 300));
}

async function benchWith<T>(measure: (withExt: LabBrowser, without: LabBrowser, url: (p: string) => string) => Promise<T>): Promise<T> {
  await setup(); // builds the extension and the companion, as the e2e tests do
  const companion = await testCompanion();
  const shop = await startShop({ companionUrl: companion.url });
  const withExt = await launchLab();
  const without = await launchLab({ extension: false });
  try {
    await withExt.ask({ type: 'settings:set', companionUrl: companion.url });
    return await measure(withExt, without, (p: string) => shop.url(p));
  } finally {
    await withExt.close();
    await without.close();
    await shop.close();
    await companion.close();
    removeDir(companion.dataDir);
  }
}
