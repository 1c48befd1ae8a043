// A run set by a suite (visitor-lab/testing's run.extensionDir(): settings.runId from the
// preset) shows in the popup as one started there: its name and counts; Stop from the popup stops
// it at the companion, and the next page's events are in no run. Then a run started in the popup
// is reset at the companion while the browser is in it: the popup says the companion no longer
// knows it, and "Leave this run" sends what waited in no run.
import type { Browser, Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTENSION_ID } from '../../companion/server/extension-id';
import { startCompanion, type Companion, type Run } from '../../testing/index';
import { launchSuiteBrowser } from '../helpers/browser';
import { startShop, type Shop } from './site/shop';

let companion: Companion;
let shop: Shop;
let run: Run;
let browser: Browser;
let suiteBrowser: Awaited<ReturnType<typeof launchSuiteBrowser>>;
let page: Page;
let popup: Page;

const visitEvents = async (visitId: string) =>
  ((await companion.http.send<Array<{ eventID: string; eventName: string }> | null>('GET', `/server/data/visits/${encodeURIComponent(visitId)}/events`)).body) ?? [];

beforeAll(async () => {
  companion = await startCompanion();
  shop = await startShop();
  run = await companion.run('suite run, chromium');
  const dir = await run.extensionDir();
  suiteBrowser = await launchSuiteBrowser(dir);
  browser = suiteBrowser.browser;
});
afterAll(async () => {
  await suiteBrowser?.close();
  await shop?.close();
  await companion?.stop();
});

/** The popup for `page`'s tab, opened as a tab (popup.html?tabId=N). */
async function openPopup(): Promise<Page> {
  const p = await browser.newPage();
  await p.goto(`chrome-extension://${EXTENSION_ID}/popup.html?helper`);
  const tabId = await p.evaluate(async (u) => (await (globalThis as any).chrome.tabs.query({})).find((t: { url: string }) => t.url === u).id as number, page.url());
  await p.goto(`chrome-extension://${EXTENSION_ID}/popup.html?tabId=${tabId}`);
  return p;
}

describe("a suite's run in the popup", () => {
  it('shows with its name and the counts the companion has', async () => {
    page = await browser.newPage();
    await page.goto(`${shop.origin}/`, { waitUntil: 'load' });
    await expect.poll(async () => (await run.get()).counts.events, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    popup = await openPopup();
    await popup.waitForSelector('#run-on');
    expect(await popup.$eval('#run-on', (e) => (e as HTMLElement).dataset.runId)).toBe(run.runId);
    expect(await popup.$eval('#run-on', (e) => (e as HTMLElement).innerText)).toContain('Run “suite run, chromium” on for');
    const { counts } = await run.get();
    await popup.waitForFunction((n) => document.querySelector('#run-counts')?.textContent?.startsWith(`${n} events in 1 visit`), { timeout: 10_000 }, counts.events);
  });

  it('Stop in the popup stops it at the companion; the next page is in no run', async () => {
    await popup.click('#run-stop');
    await popup.waitForSelector('#run-name');
    const stopped = await run.get();
    expect(stopped.stoppedAt).toBeGreaterThan(0);
    const visitId = stopped.visitIds[0];
    const before = (await visitEvents(visitId)).length;
    await page.goto(`${shop.origin}/products`, { waitUntil: 'load' });
    // The products page's PageEntered and the home page's exit reach the visit, not the run.
    await expect.poll(async () => (await visitEvents(visitId)).length, { timeout: 20_000 }).toBeGreaterThanOrEqual(before + 2);
    expect((await run.get()).counts.events).toBe(stopped.counts.events);
  });

  it('a run reset while the browser is in it: said plainly, and leaving it sends what waited in no run', async () => {
    await popup.type('#run-name', 'reset under the browser');
    await popup.keyboard.press('Enter');
    await popup.waitForSelector('#run-on');
    const runId = (await popup.$eval('#run-on', (e) => (e as HTMLElement).dataset.runId))!;
    expect((await companion.http.send('POST', `/lab/reset?run=${runId}`)).status).toBe(200);
    const visitId = (await run.get()).visitIds[0];
    const before = (await visitEvents(visitId)).length;
    // Captured in the forgotten run: the companion refuses it (X-Lab-Run names no run), so it waits.
    await page.goto(`${shop.origin}/cart`, { waitUntil: 'load' });
    await popup.waitForSelector('#run-gone', { timeout: 15_000 });
    expect(await popup.$eval('#run-gone', (e) => (e as HTMLElement).innerText)).toContain(`The companion no longer knows run ${runId}`);
    await popup.waitForFunction(() => /still waiting to be sent/.test(document.querySelector('#run-gone')?.textContent ?? ''), { timeout: 10_000 });
    expect((await visitEvents(visitId)).length).toBe(before);
    await popup.click('#run-clear');
    await popup.waitForSelector('#run-name');
    // What waited is stored now, in no run: the cart's PageEntered and the products page's exit.
    await expect.poll(async () => (await visitEvents(visitId)).length, { timeout: 20_000 }).toBeGreaterThanOrEqual(before + 2);
    expect((await visitEvents(visitId)).some((e) => e.eventName === 'PageEntered')).toBe(true);
  });
});
