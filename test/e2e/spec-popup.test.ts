// The popup's spec (issue 11, "Expectations", last bullet): a spec pasted into the popup (opened
// as a tab, ?tabId=N, as a file chooser needs), kept by the worker, ticked off live as the
// tester browses the shop: a page visited ticks its step; a bad spec is named by its place and
// nothing is kept; the spec is still there when the popup opens again; it can be cleared.
import path from 'node:path';
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startLab, visit, type Lab } from './lab';

const SHOTS = process.env.VL_SCREENSHOTS; // a folder: the screenshot is written there too
const SPEC = {
  name: 'shop sign-in',
  visits: [{ name: 'browses, signs in', steps: [{ event: 'VisitStarted' }, { event: 'PageEntered', url: '/products' }, { event: 'SignIn' }, { state: 'Authenticated' }] }],
  noRejected: true,
};

let lab: Lab;
let page: Page;
let popup: Page;

/** The popup as a tab for the shop page's tab. */
async function openPopupTab(): Promise<Page> {
  const tabId = await lab.browser.tabId(page);
  const p = await lab.browser.browser.newPage();
  await p.setViewport({ width: 480, height: 900 });
  await p.goto(`chrome-extension://${lab.browser.extensionId}/popup.html?tabId=${tabId}`);
  await p.waitForSelector('#spec');
  return p;
}

/** Each step's status word, in order, once they read `expected`. */
async function stepsRead(p: Page, expected: string[]): Promise<void> {
  await expect
    .poll(() => p.$$eval('#spec .vl-check-step .vl-check-status', (els) => els.map((e) => (e as HTMLElement).innerText.replace(/\s+/g, ' ').trim())), { timeout: 10_000, interval: 200 })
    .toEqual(expected);
}

beforeAll(async () => {
  lab = await startLab();
  page = await lab.browser.browser.newPage();
});
afterAll(async () => {
  await lab?.close();
});

it('refuses a bad spec by its place and reason, keeping nothing', async () => {
  await visit(lab.browser, page, lab.shop.url('/'));
  popup = await openPopupTab();
  await popup.type('#spec-text', '{"visits": [{"steps": [{"event": "A", "url": {"re": "(("}}]}]}');
  await popup.click('#spec-load');
  const problem = await popup.waitForSelector('#spec-problem');
  expect(await problem!.evaluate((e) => (e as HTMLElement).innerText)).toMatch(/Not loaded: visits\[0\]\.steps\[0\]\.url\.re: /);
  expect(await popup.$('#spec .vl-checklist')).toBeNull();
});

it('ticks the loaded spec off against this tab\'s visit as the tester browses', async () => {
  await popup.$eval('#spec-text', (t) => ((t as HTMLTextAreaElement).value = ''));
  await popup.type('#spec-text', JSON.stringify(SPEC));
  await popup.click('#spec-load');
  await popup.waitForSelector('#spec .vl-checklist');
  // The home page: the visit started; the products page is the next step, not yet.
  await stepsRead(popup, ['✓ met', '… not yet', '· not yet', '· not yet']);
  expect(await popup.$eval('#spec [aria-current="step"]', (e) => (e as HTMLElement).innerText)).toContain("url: '/products'");
  await visit(lab.browser, page, lab.shop.url('/products'));
  await stepsRead(popup, ['✓ met', '✓ met', '… not yet', '· not yet']);
  expect(await popup.$eval('#spec [role="status"]', (e) => (e as HTMLElement).innerText)).toMatch(/Not yet: 1 of 2 met/);
  if (SHOTS) await popup.screenshot({ path: path.join(SHOTS, 'popup-spec.png') as `${string}.png`, fullPage: false, clip: { x: 0, y: (await popup.$eval('#spec', (e) => e.getBoundingClientRect().top + scrollY)) - 8, width: 460, height: 400 } });
});

it('keeps the spec when the popup opens again, and clears it on request', async () => {
  await popup.close();
  popup = await openPopupTab();
  await stepsRead(popup, ['✓ met', '✓ met', '… not yet', '· not yet']);
  expect(await popup.$eval('#spec-title', (e) => (e as HTMLElement).innerText)).toBe('Spec: shop sign-in');
  await popup.click('#spec-clear');
  await popup.waitForSelector('#spec-text');
  expect(await popup.$('#spec .vl-checklist')).toBeNull();
  expect(await lab.browser.inWorker(async () => (await (globalThis as unknown as { chrome: { storage: { local: { get(k: string): Promise<Record<string, unknown>> } } } }).chrome.storage.local.get('visitorLabSpec')).visitorLabSpec ?? null)).toBeNull();
});
