// A site that carries GWE's own loader snippet, pointing at its GWE server (a stand-in here):
// on a tracked site the loader is held back (declarativeNetRequest), Visitor Lab's tracker alone
// serves `_gt` with the site's config (languageCode, debug, dslResource read from the GWE
// server), the GWE server gets nothing but that rules file, and the popup says what was held
// back. The same with an unreachable GWE server; a site that is not tracked loads its loader.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoaderView, TabView } from '../../extension/shared/messages';
import { ROOT } from '../helpers/companion';
import { openPopup, settled, startLab, until, visit, type Lab } from './lab';
import { startGweServer, startSnippetSite, unreachableUrl, type GweServer, type SnippetSite } from './site/gwe';

let lab: Lab;
let gwe: GweServer;
let site: SnippetSite;
let deadSite: SnippetSite;
let otherSite: SnippetSite;

const events = (view: TabView) => view.records.flatMap((r) => r.events);
const named = (view: TabView, name: string) => events(view).filter((e) => e.eventName === name);
const tracked = (page: Page) => page.evaluate(() => Boolean((window as unknown as { _gt?: Record<string, unknown> })._gt?.__visitorLab));
const loaderRan = (page: Page) => page.evaluate(() => (window as unknown as { __gweLoaderRan?: string[] }).__gweLoaderRan ?? []);
/** What reached the GWE server besides the site's rules file. */
const besidesRules = () => gwe.requests.filter((r) => !r.path.startsWith('/server/resources/dsl/'));

beforeAll(async () => {
  lab = await startLab();
  gwe = await startGweServer();
  site = await startSnippetSite({ gweUrl: gwe.url });
  deadSite = await startSnippetSite({ gweUrl: await unreachableUrl() });
  // 127.0.0.2 is loopback too, but not one of the tracked hosts.
  otherSite = await startSnippetSite({ gweUrl: gwe.url, host: '127.0.0.2' });
});
afterAll(async () => {
  await Promise.all([site?.close(), deadSite?.close(), otherSite?.close(), gwe?.close()]);
  await lab?.close();
});

describe("a tracked site with GWE's own snippet", () => {
  it("is tracked by Visitor Lab alone, with the site's config, and its GWE server gets nothing", async () => {
    const page = await lab.browser.browser.newPage();
    const debug: string[] = [];
    page.on('console', (m) => m.type() === 'debug' && debug.push(m.text()));
    const view = await visit(lab.browser, page, site.url('/'));
    expect(await tracked(page)).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { __siteScriptsRan?: boolean }).__siteScriptsRan)).toBe(true);
    // Both loader scripts are in the page, neither ran.
    expect(await page.evaluate(() => Array.from(document.scripts, (s) => s.src).filter((s) => /\/(GPE|GTC)\.min\.js$/.test(s)).length)).toBe(2);
    expect(await loaderRan(page)).toEqual([]);
    // The site's config: its languageCode on every event, its debug output in the console.
    const [entered] = named(view, 'PageEntered');
    expect(entered.languageCode).toBe('de');
    expect(view.deliveries[entered.eventID].state).toBe('accepted');
    expect(debug.some((t) => t.startsWith('[_gt]'))).toBe(true);

    // Its rules, read from its GWE server (which sends no CORS headers): a click is BuyClicked.
    await expect.poll(() => gwe.requests.some((r) => r.path === '/server/resources/dsl/domain-model.xml'), { timeout: 5000 }).toBe(true);
    await page.click('#buy');
    const after = await until(lab.browser, page, (v) => named(v, 'BuyClicked').length > 0);
    expect(named(after, 'BuyClicked')[0]).toMatchObject({ eventType: 'BUSINESS', languageCode: 'de' });
    expect(after.records.filter((r) => r.reason?.includes('dslResource'))).toEqual([]);
    // Only the rules file is opened to the page: another answer of that server stays unreadable.
    const read = (url: string) => page.evaluate((u) => fetch(u).then((r) => `read ${r.status}`, () => 'refused'), url);
    expect(await read(`${gwe.url}/server/resources/dsl/domain-model.xml`)).toBe('read 200');
    expect(await read(`${gwe.url}/server/other?name=domain-model.xml`)).toBe('refused');
    gwe.requests.splice(0); // those two were the test's, not the site's

    // Counted once: the companion has one PageEntered for the page view.
    const stored = await lab.api.get(`/server/data/visits/${after.ids!.visitID}/events?eventName=PageEntered`);
    expect(stored.body).toHaveLength(1);
    // Nothing but the rules file reached the GWE server: no loader fetch, no event.
    await visit(lab.browser, page, site.url('/next'));
    expect(besidesRules()).toEqual([]);
    await page.close();
  });

  it('the popup says the loader from that host was held back', async () => {
    const page = await lab.browser.browser.newPage();
    await visit(lab.browser, page, site.url('/'));
    const popup = await openPopup(lab.browser, page);
    const notice = await popup.waitForSelector('#loader-held-back', { timeout: 10_000 });
    const text = await notice!.evaluate((e) => (e as HTMLElement).innerText);
    const gweHost = new URL(gwe.url).host;
    expect(text).toContain(`The site's own GWE loader from ${gweHost} was held back`);
    expect(text).toContain(`${gwe.url}/server/resources/js/build/GPE.min.js`);
    expect(text).toContain(`${gwe.url}/server/resources/js/build/GTC.min.js`);
    expect(await notice!.evaluate((e) => e.getAttribute('role'))).toBe('status');
    const shots = path.join(ROOT, '.output', 'screenshots');
    mkdirSync(shots, { recursive: true });
    await popup.screenshot({ path: path.join(shots, 'popup-loader-held-back.png'), fullPage: true });
    await popup.close();
    await page.close();
    expect(besidesRules()).toEqual([]);
  });

  it('a site whose GWE server cannot be reached works the same; the rules file failing is shown', async () => {
    const page = await lab.browser.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const view = await visit(lab.browser, page, deadSite.url('/'));
    expect(await tracked(page)).toBe(true);
    expect(await loaderRan(page)).toEqual([]);
    const [entered] = named(view, 'PageEntered');
    expect(entered.languageCode).toBe('de');
    expect(view.deliveries[entered.eventID].state).toBe('accepted');
    // The tracker could not read the rules: a record says why, nothing is thrown into the page.
    const failed = await until(lab.browser, page, (v) => v.records.some((r) => r.reason?.includes('dslResource')));
    expect(failed.records.find((r) => r.reason?.includes('dslResource'))!.outcome).toBe('rejected');
    await page.evaluate(() => (window as unknown as { _gt: unknown[] })._gt.push(['event', 'StillHere']));
    await until(lab.browser, page, (v) => named(v, 'StillHere').length > 0);
    expect(errors).toEqual([]);
    const popup = await openPopup(lab.browser, page);
    await popup.waitForSelector('#loader-held-back', { timeout: 10_000 });
    await popup.close();
    await page.close();
  });
});

describe('a site that is not tracked', () => {
  it('loads its own GWE loader as usual, and the popup holds nothing back there', async () => {
    const before = gwe.requests.length;
    const page = await lab.browser.browser.newPage();
    await page.goto(otherSite.url('/'), { waitUntil: 'load' });
    expect(await tracked(page)).toBe(false);
    await expect.poll(() => loaderRan(page).then((r) => [...r].sort())).toEqual(['GPE.min.js', 'GTC.min.js']);
    const paths = gwe.requests.slice(before).map((r) => r.path);
    expect(paths).toContain('/server/resources/js/build/GPE.min.js');
    expect(paths).toContain('/server/resources/js/build/GTC.min.js');
    const popup = await openPopup(lab.browser, page);
    await popup.waitForSelector('#empty');
    expect(await popup.$('#loader-held-back')).toBeNull();
    await popup.close();
    await page.close();
  });

  it('switching a site off lets its loader run again; switching it on holds it back again', async () => {
    const host = new URL(site.origin).hostname;
    await lab.browser.ask({ type: 'site:set', host, enabled: false });
    const page = await lab.browser.browser.newPage();
    try {
      const before = gwe.requests.length;
      await page.goto(site.url('/'), { waitUntil: 'load' });
      expect(await tracked(page)).toBe(false);
      await expect.poll(() => loaderRan(page).then((r) => [...r].sort())).toEqual(['GPE.min.js', 'GTC.min.js']);
      expect(gwe.requests.slice(before).map((r) => r.path)).toContain('/server/resources/js/build/GPE.min.js');
      const off = await lab.browser.ask<LoaderView>({ type: 'tab:loaders', tabId: await lab.browser.tabId(page) });
      expect(off.heldBack).toEqual([]);
    } finally {
      await lab.browser.ask({ type: 'site:set', host, enabled: true });
    }
    const before = gwe.requests.length;
    await visit(lab.browser, page, site.url('/next'));
    expect(await loaderRan(page)).toEqual([]);
    expect(gwe.requests.slice(before).filter((r) => !r.path.startsWith('/server/resources/dsl/'))).toEqual([]);
    const on = await lab.browser.ask<LoaderView>({ type: 'tab:loaders', tabId: await lab.browser.tabId(page) });
    expect(on.heldBack.map((l) => l.url).sort()).toEqual([`${gwe.url}/server/resources/js/build/GPE.min.js`, `${gwe.url}/server/resources/js/build/GTC.min.js`]);
    expect(on.heldBack[0].host).toBe(new URL(gwe.url).host);
    await page.close();
  });
});

describe("the user's own loader patterns", () => {
  it('a bad pattern is refused naming it; a good one is kept and held back on tracked sites', async () => {
    const bad = await lab.browser.ask<{ ok: boolean; field?: string; error?: string }>({ type: 'loader:setPatterns', patterns: ['||gwe.test/a.js', '*'] });
    expect(bad).toMatchObject({ ok: false, field: 'patterns[1]' });
    const notList = await lab.browser.ask<{ ok: boolean; field?: string }>({ type: 'loader:setPatterns', patterns: 'x' as unknown as string[] });
    expect(notList).toMatchObject({ ok: false, field: 'patterns' });

    const page = await lab.browser.browser.newPage();
    await visit(lab.browser, page, site.url('/'));
    const popup = await openPopup(lab.browser, page);
    await popup.click('#loader-settings summary');
    await popup.type('#loader-patterns', '/dsl/domain-model.xml');
    await popup.click('#loader-save');
    await popup.waitForSelector('#loader-note');
    expect(await popup.$eval('#loader-note', (e) => e.textContent)).toContain('Saved');
    // Every control of the form has a name a screen reader reads.
    expect(await popup.$eval('#loader-patterns', (e) => (e as HTMLTextAreaElement).labels?.[0]?.textContent)).toContain('loader patterns');
    await popup.screenshot({ path: path.join(ROOT, '.output', 'screenshots', 'popup-loader-patterns.png') });
    await popup.close();
    const { patterns } = await lab.browser.ask<LoaderView>({ type: 'tab:loaders', tabId: await lab.browser.tabId(page) });
    expect(patterns).toEqual(['/dsl/domain-model.xml']);
    // A script from that path is now held back too (the page adds one to see).
    await visit(lab.browser, page, site.url('/next'));
    const ran = await page.evaluate(
      (src) =>
        new Promise<string>((resolve) => {
          const s = document.createElement('script');
          s.src = src;
          s.onload = () => resolve('loaded');
          s.onerror = () => resolve('blocked');
          document.head.append(s);
        }),
      `${gwe.url}/server/resources/dsl/domain-model.xml?as=script`,
    );
    expect(ran).toBe('blocked');
    expect(gwe.requests.some((r) => r.path.includes('as=script'))).toBe(false);
    await lab.browser.ask({ type: 'loader:setPatterns', patterns: [] });
    await settled(lab.browser, page);
    await page.close();
  });
});
