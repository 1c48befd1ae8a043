// The direct path's pages (the built-in sites in chromium) get the tracker from the worker once
// they have loaded, as GWE's own async loader comes after the page's first scripts: nothing of
// the extension runs in the page before its load event (docs/performance.md, "Page load").
// What the page pushed before is tracked in order, a callback it pushed is answered when the
// tracker comes, a page still loading after a second gets it then, and a switched-off site
// gets nothing.
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TabView } from '../../extension/shared/messages';
import { startLab, until, visit, type Lab } from './lab';

let lab: Lab;

const names = (view: TabView) => view.records.flatMap((r) => r.events).map((e) => e.eventName);
type Probe = { atLoad?: { owned: boolean; queued: number }; ids?: { visitID: string; pageID: string } };
const probe = (page: Page) => page.evaluate(() => (window as unknown as { __probe: Probe }).__probe);

/** Before any page script: notes `_gt` as the load event finds it, and pushes a getIDs callback. */
async function watched(): Promise<Page> {
  const page = await lab.browser.browser.newPage();
  await page.evaluateOnNewDocument(() => {
    const w = window as unknown as { _gt?: unknown[] & { __visitorLab?: boolean }; __probe: Probe };
    w.__probe = {};
    w._gt = w._gt || [];
    w._gt.push(['getIDs', (ids: { visitID: string; pageID: string }) => (w.__probe.ids = ids)]);
    window.addEventListener('load', () => {
      w.__probe.atLoad = { owned: Boolean(w._gt?.__visitorLab), queued: Array.isArray(w._gt) && !w._gt.__visitorLab ? w._gt.length : 0 };
    });
  });
  return page;
}

beforeAll(async () => {
  lab = await startLab();
});
afterAll(async () => lab?.close());

describe("the direct path's pages get the tracker after their load", () => {
  it('registers no content script for the built-in sites', async () => {
    const registered = await lab.browser.inWorker(async () => (await (globalThis as any).chrome.scripting.getRegisteredContentScripts()) as Array<{ matches?: string[] }>);
    expect(registered.flatMap((r) => r.matches ?? []).filter((m) => /localhost|127\.0\.0\.1/.test(m))).toEqual([]);
  });

  it("leaves the page's `_gt` a plain queue until its load, then takes what it holds, in order", async () => {
    const page = await watched();
    const view = await visit(lab.browser, page, lab.shop.url('/early'));
    const seen = await probe(page);
    // At the load event: the site's own array, holding the getIDs, the config and EarlyBird.
    expect(seen.atLoad).toEqual({ owned: false, queued: 3 });
    expect(await page.evaluate(() => Boolean((window as unknown as { _gt: { __visitorLab?: boolean } })._gt.__visitorLab))).toBe(true);
    // Taken in the order pushed: the page view starts, then the page's business event.
    expect(names(view).filter((n) => n !== 'VisitStarted')).toEqual(['PageEntered', 'EarlyBird']);
    // The callback pushed before the tracker came is answered with this page's ids.
    await expect.poll(async () => (await probe(page)).ids?.pageID, { timeout: 10_000 }).toBeTruthy();
    const { ids } = await probe(page);
    const entered = view.records.flatMap((r) => r.events).find((e) => e.eventName === 'PageEntered')!;
    expect(ids!.visitID).toBe(entered.visitID);
    await page.close();
  });

  it('a page still loading a second after it started gets the tracker then', async () => {
    const page = await watched();
    await page.goto(lab.shop.url('/slow'), { waitUntil: 'domcontentloaded' }); // its image takes 10 s
    const view = await until(lab.browser, page, (v) => names(v).includes('PageEntered'));
    expect(await page.evaluate(() => document.readyState)).not.toBe('complete');
    expect((await probe(page)).atLoad).toBeUndefined();
    expect(names(view)).toContain('PageEntered');
    await page.close();
  });

  it('a switched-off built-in site gets no tracker', async () => {
    await lab.browser.ask({ type: 'site:set', host: '127.0.0.1', enabled: false });
    try {
      const page = await watched();
      await page.goto(lab.shop.url('/products'), { waitUntil: 'load' });
      await new Promise((r) => setTimeout(r, 1500)); // past the worker's one-second fallback
      expect(await page.evaluate(() => Boolean((window as unknown as { _gt: { __visitorLab?: boolean } })._gt.__visitorLab))).toBe(false);
      expect((await probe(page)).ids).toBeUndefined();
      await page.close();
    } finally {
      await lab.browser.ask({ type: 'site:set', host: '127.0.0.1', enabled: true });
    }
  });
});
