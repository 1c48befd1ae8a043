// The picture of a visit in the popup (compact) and in the full view (timeline.html, the page
// of the DevTools panel: headless chromium cannot open DevTools, so the page is opened as a tab
// with ?tabId=, as the popup's "Open full view" does), read back by accessible names and data;
// and the export of the tab's capture log from the panel (JSON and HAR).
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchesFilter } from '../../extension/popup/model';
import type { TabView } from '../../extension/shared/messages';
import { EXTENSION_DIR } from '../helpers/browser';
import { api, removeDir, testCompanion } from '../helpers/companion';
import { markNames, openPanel, openPopup, pageView, popupState, segmentNames, startLab, until, visit, type Lab } from './lab';

const EMAIL = 'ann@shop.test';
const SHOTS = process.env.VL_SCREENSHOTS; // a folder: the screenshots are written there too
let lab: Lab;
let page: Page;
let view: TabView;
let downloads: string;

const events = (v: TabView) => v.records.flatMap((r) => r.events);
const starts = (names: string[], prefix: string) => names.filter((n) => n.startsWith(prefix));

async function shot(p: Page, name: string, fullPage = true): Promise<void> {
  const file = path.join(SHOTS ?? downloads, `${name}.png`);
  await p.screenshot({ path: file as `${string}.png`, fullPage });
}

beforeAll(async () => {
  lab = await startLab();
  downloads = await mkdtemp(path.join(tmpdir(), 'vl-downloads-'));
  page = await lab.browser.browser.newPage();
});
afterAll(async () => {
  await lab?.close();
  if (downloads) removeDir(downloads);
});

it('the Lab Shop journey is captured and delivered', async () => {
  // The Lab Shop journey: home, products, a product, add to cart, a push the tracker rejects, sign-in.
  await visit(lab.browser, page, lab.shop.url('/'));
  await pageView(lab.browser, page, () => Promise.all([page.waitForNavigation(), page.click('#nav-products')]));
  await pageView(lab.browser, page, () => Promise.all([page.waitForNavigation(), page.click('a.product')]));
  await page.click('#add-to-cart');
  await until(lab.browser, page, (v) => events(v).some((e) => e.eventName === 'AddToCart'));
  await page.evaluate(() => (window as unknown as { _gt: unknown[] })._gt.push(['nope', 1]));
  await until(lab.browser, page, (v) => v.records.some((r) => r.outcome === 'rejected'));
  await visit(lab.browser, page, lab.shop.url('/login'));
  await page.type('#email', EMAIL);
  await page.type('#password', 'secret');
  view = await pageView(lab.browser, page, () => Promise.all([page.waitForNavigation(), page.click('#sign-in')]));
  expect(events(view).some((e) => e.eventName === 'SignIn')).toBe(true);
});

describe('the popup: a compact picture of the current visit above the list', () => {
  it('draws every page view and event with its name, delivery and state; the rejected push is marked', async () => {
    const popup = await openPopup(lab.browser, page);
    await popupState(popup, 'Authenticated');
    await popup.waitForSelector('#picture[data-ready="true"] .vl-compact');
    // The picture sits above the list.
    expect(await popup.evaluate(() => !!(document.querySelector('#picture')!.compareDocumentPosition(document.querySelector('#timeline')!) & Node.DOCUMENT_POSITION_FOLLOWING))).toBe(true);
    const moments = Number(await popup.$eval('#picture', (e) => (e as HTMLElement).dataset.moments));
    expect(moments).toBe(events(view).filter((e) => e.visitID === view.ids!.visitID).length + view.records.filter((r) => r.events.length === 0).length);
    await popup.waitForFunction(() => document.querySelectorAll('#picture .vl-mark[aria-label*="accepted"]').length > 0);
    // Drawn: each moment as a mark or within a "+N" cluster.
    const drawn = await popup.$$eval('#picture .vl-mark[data-key], #picture .vl-cluster', (els) =>
      els.reduce((n, e) => n + Number((e as HTMLElement).dataset.count ?? 1), 0),
    );
    expect(drawn).toBe(moments);
    const names = await markNames(popup);
    expect(names).toHaveLength(moments);
    expect(starts(names, 'VisitStarted, system event')).toHaveLength(1);
    expect(starts(names, 'PageEntered, system event')).toHaveLength(5); // home, products, a product, login, account
    expect(starts(names, 'AddToCart, business event')).toHaveLength(1);
    const signIn = starts(names, 'SignIn, system event');
    expect(signIn).toHaveLength(1);
    expect(signIn[0]).toContain('accepted');
    expect(signIn[0]).toContain('state Anonymous to Authenticated');
    const rejected = starts(names, 'nope, command without event');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatch(/reason: .*nope/);
    const segments = await segmentNames(popup);
    expect(segments[0]).toMatch(/^Anonymous from/);
    expect(segments.at(-1)).toMatch(/^Authenticated \(ann@shop\.test\) from .* after SignIn/);
    await shot(popup, 'popup', false); // a popup window is its viewport
    await popup.close();
  });

  it('"Open full view" opens the full view of this tab in a new tab', async () => {
    const popup = await openPopup(lab.browser, page);
    const tabId = await lab.browser.tabId(page);
    await popup.click('#open-full');
    const target = await lab.browser.browser.waitForTarget((t) => t.url().endsWith(`/timeline.html?tabId=${tabId}`), { timeout: 10_000 });
    const full = (await target.asPage())!;
    await full.waitForSelector(`#visitor-lab-panel[data-tab-id="${tabId}"] #picture .vl-full`);
    await full.close();
  });
});

describe('the full view (the DevTools panel page) for the tab', () => {
  let panel: Page;
  beforeAll(async () => {
    panel = await openPanel(lab.browser, page);
    await panel.setViewport({ width: 1280, height: 900 });
    await panel.waitForSelector('#picture .vl-full');
    await panel.waitForFunction(() => document.querySelector('#visitor-state')?.getAttribute('data-source') === 'companion');
  });
  afterAll(async () => {
    await panel?.close();
  });

  it('the same picture full size, the state from the companion, and the records', async () => {
    expect(await panel.$eval('#visitor-state', (e) => (e as HTMLElement).dataset.state)).toBe('Authenticated');
    const names = await markNames(panel);
    expect(starts(names, 'PageEntered, system event')).toHaveLength(5); // home, products, a product, login, account
    // Full size: each mark names its page too.
    expect(starts(names, 'AddToCart, business event')[0]).toMatch(/page Lab Shop/);
    expect(await panel.$$eval('#timeline li.record', (els) => els.length)).toBe(view.records.length);
    expect(await panel.$eval('.vl-legend', (e) => e.getAttribute('aria-label'))).toBe('Legend');
  });

  it('selecting a mark (keyboard) shows it in the inspector beside the picture', async () => {
    const signIn = events(view).find((e) => e.eventName === 'SignIn')!;
    // Folded into a cluster or not, the keyboard reaches it: End, then back to it.
    await panel.focus('#picture .vl-mark[tabindex="0"]');
    await panel.keyboard.press('End');
    for (let i = 0; i < 30 && !(await panel.evaluate(() => document.activeElement?.getAttribute('aria-label')?.startsWith('SignIn'))); i++) {
      await panel.keyboard.press('ArrowLeft');
      await new Promise((r) => setTimeout(r, 100));
    }
    await panel.keyboard.press('Enter');
    await panel.waitForSelector(`#inspector[data-key="${signIn.eventID}"]`);
    const text = await panel.$eval('#inspector', (e) => (e as HTMLElement).innerText);
    expect(text).toMatch(/Delivery\s+accepted/);
    expect(text).toMatch(/State\s+○ Anonymous\s*→\s*to\s*● Authenticated/);
    expect(text).toContain(EMAIL);
    expect(await panel.$eval('#inspector section', (e) => e.getAttribute('aria-label'))).toBe('Moment details: SignIn');
  });

  it('the filter dims the marks that do not match and narrows the records', async () => {
    await panel.type('#picture .vl-filter', 'AddToCart');
    const matching = view.records.filter((r) => matchesFilter(r, view.deliveries, 'AddToCart')).length;
    await panel.waitForFunction((n) => document.querySelectorAll('#timeline li.record').length === n, { timeout: 5000 }, matching);
    for (const row of await panel.$$eval('#timeline li.record', (els) => els.map((e) => (e as HTMLElement).innerText))) expect(row).toContain('AddToCart');
    const undimmed = await panel.$$eval('#picture :is(.vl-mark, .vl-cluster)[aria-label]:not(.vl-dim)', (els) =>
      els.map((e) => ({ cluster: e.classList.contains('vl-cluster'), name: e.getAttribute('aria-label')! })),
    );
    // The one match: its mark, or the "+N" cluster it is folded in (which names at most 3 kinds).
    expect(undimmed).toHaveLength(1);
    if (undimmed[0].cluster) expect(undimmed[0].name).toMatch(/^\d+ moments from /);
    else expect(undimmed[0].name).toMatch(/^AddToCart, business event/);
    await shot(panel, 'panel-filtered');
    await panel.click('#picture .vl-filter', { count: 3 });
    await panel.keyboard.press('Backspace');
    await panel.waitForFunction((n) => document.querySelectorAll('#timeline li.record').length === n, {}, view.records.length);
    await shot(panel, 'panel');
  });

  it('exports the capture log: JSON with every record (the rejected push too) and HAR 1.2 of the answers', async () => {
    const cdp = await panel.createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
    const fileOf = async (ext: string) => {
      let name: string | undefined;
      await expect.poll(async () => (name = (await readdir(downloads)).find((f) => f.endsWith(`.${ext}`))), { timeout: 10_000 }).toBeTruthy();
      return JSON.parse(await readFile(path.join(downloads, name!), 'utf8'));
    };
    const full = await lab.browser.tabView(page);
    await panel.click('#export-json');
    const json = await fileOf('json');
    expect(json).toMatchObject({ format: 'visitor-lab-capture', tab: { tabId: full.tabId } });
    expect(json.records).toEqual(full.records);
    expect(json.records.find((r: { outcome: string }) => r.outcome === 'rejected').command).toEqual(['nope', 1]);
    const signIn = events(full).find((e) => e.eventName === 'SignIn')!;
    expect(json.deliveries[signIn.eventID].state).toBe('accepted');
    expect(json.summary.rejectedInPage).toBe(1);

    await panel.click('#export-har');
    const har = await fileOf('har');
    expect(har.log.version).toBe('1.2');
    const sent = har.log.entries.flatMap((e: { request: { url: string; postData: { text: string } } }) => {
      expect(e.request.url).toBe(`${lab.companion.url}/server/events`);
      return JSON.parse(e.request.postData.text).map((ev: { eventID: string }) => ev.eventID);
    });
    expect(new Set(sent)).toEqual(new Set(events(full).map((e) => e.eventID)));
    expect(await panel.$eval('#export-note', (e) => e.textContent)).toMatch(/^saved visitor-lab-127\.0\.0\.1_\d+-.*\.har/);

    // Sent to someone with another companion: imported there, it tells the same visit.
    const other = await testCompanion();
    try {
      const imported = await api(other.url).post('/lab/import', har);
      expect(imported.status).toBe(200);
      const path = `/server/data/visits/${full.ids!.visitID}?include_pages_detail=true`;
      const [here, there] = [(await lab.api.get(path)).body, (await api(other.url).get(path)).body];
      expect(there).toMatchObject({ visitorState: here.visitorState, identityIds: here.identityIds, eventIds: here.eventIds });
      expect(there.pages.map((p: { title: string }) => p.title)).toEqual(here.pages.map((p: { title: string }) => p.title));
    } finally {
      await other.close();
      removeDir(other.dataDir);
    }
  });
});

describe('the DevTools side (headless chromium has no DevTools: its API is stood in for)', () => {
  // What DevTools gives its pages: devtools.panels and devtools.inspectedWindow (on chrome and
  // on chromium's own `browser` namespace, which the extension's code uses when it is there).
  const devtools = (tabId: number) => `
    window.__panels = [];
    const devtools = {
      inspectedWindow: { tabId: ${tabId} },
      panels: { create: (title, icon, page, done) => { window.__panels.push([title, icon, page]); if (done) done({}); } },
    };
    chrome.devtools = devtools;
    if (globalThis.browser) globalThis.browser.devtools = devtools;`;

  it('the devtools page creates the "Visitor Lab" panel on timeline.html', async () => {
    const manifest = JSON.parse(await readFile(path.join(EXTENSION_DIR, 'manifest.json'), 'utf8'));
    expect(manifest.devtools_page).toBe('devtools.html');
    const p = await lab.browser.browser.newPage();
    await p.evaluateOnNewDocument(devtools(1));
    await p.goto(`chrome-extension://${lab.browser.extensionId}/devtools.html`);
    await p.waitForFunction(() => (window as unknown as { __panels: unknown[] }).__panels.length > 0);
    expect(await p.evaluate(() => (window as unknown as { __panels: unknown[] }).__panels)).toEqual([['Visitor Lab', '', '/timeline.html']]);
    await p.close();
  });

  it('the panel page without ?tabId= shows the inspected tab', async () => {
    const tabId = await lab.browser.tabId(page);
    const p = await lab.browser.browser.newPage();
    await p.evaluateOnNewDocument(devtools(tabId));
    await p.goto(`chrome-extension://${lab.browser.extensionId}/timeline.html`);
    await p.waitForSelector(`#visitor-lab-panel[data-tab-id="${tabId}"] #picture .vl-full`);
    await p.close();
  });
});

describe('a tab that started a new visit', () => {
  it('the full view shows the current visit and offers the earlier one', async () => {
    const first = view.ids!.visitID;
    await lab.browser.ask({ type: 'tab:newVisit', tabId: view.tabId });
    const now = await until(lab.browser, page, (v) => !!v.ids && v.ids.visitID !== first);
    const second = now.ids!.visitID;
    const panel = await openPanel(lab.browser, page);
    await panel.waitForSelector(`#picture .vl-timeline[data-visit="${second}"]`);
    expect(await panel.$$eval('#panel-visit option', (os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual([first, second]);
    expect(await panel.$eval('#panel-visit', (e) => (e as HTMLSelectElement).labels![0].textContent)).toContain('Visit');
    await panel.select('#panel-visit', first);
    await panel.waitForSelector(`#picture .vl-timeline[data-visit="${first}"]`);
    // The earlier visit's picture: its sign-in, and no VisitStarted of the new one.
    const names = await markNames(panel);
    expect(starts(names, 'SignIn, system event')).toHaveLength(1);
    expect(starts(names, 'VisitStarted')).toHaveLength(1);
    await panel.close();
  });
});
