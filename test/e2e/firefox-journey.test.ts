// The Lab Shop journey of journey.test.ts in Debian's firefox-esr with the Firefox build of the
// extension: Anonymous → SignIn → Authenticated → SignOut, then Recognized in a new visit after
// Firefox restarted on the same profile, told the same by the capture log, the popup (opened as
// a tab: popup.html?tabId=) and the companion's History API. Then a site carrying GWE's own
// loader snippet (snippet.test.ts in chromium): held back by declarativeNetRequest on a tracked
// site, Visitor Lab's tracker alone serving `_gt` with the site's rules; loaded as usual on a
// site that is not tracked. The companion trusts the add-on's moz-extension:// origin
// (--allow-extension), as a Firefox user starts it.
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TabView } from '../../extension/shared/messages';
import { newProfile } from '../helpers/browser';
import { api, removeDir, testCompanion, type Api, type TestCompanion } from '../helpers/companion';
import { FIREFOX_EXTENSION_ORIGIN, launchFirefoxLab, type FirefoxLab } from '../helpers/firefox';
import { markNames, pageView, popupState, settled, until, visit } from './lab';
import { startGweServer, startSnippetSite, type GweServer, type SnippetSite } from './site/gwe';
import { startShop, type Shop } from './site/shop';

let companion: TestCompanion;
let history: Api;
let shop: Shop;
let lab: FirefoxLab;
let page: Page;
let profile: string;
const EMAIL = 'fern@shop.test';
let gwe: GweServer;
let snippetSite: SnippetSite;
let untrackedSite: SnippetSite;
let visitID = '';
let globalVisitID = '';

const events = (view: TabView) => view.records.flatMap((r) => r.events);
const eventNames = (view: TabView) => events(view).map((e) => e.eventName);

/** The popup for the shop's tab shows `state` (as the companion says it) and these ids. */
async function checkPopup(state: string, ids: Record<string, string | null>): Promise<void> {
  const popup = await lab.openPopup(page);
  try {
    await popupState(popup, state);
    for (const [name, value] of Object.entries(ids)) {
      await popup.waitForFunction(
        (n, v) => (document.querySelector(`#id-${n}`) as HTMLElement | null)?.dataset.value === (v ?? ''),
        { timeout: 10_000 },
        name,
        value,
      );
    }
  } finally {
    await popup.close();
  }
}

async function visitorState(id = visitID): Promise<string> {
  const { status, body } = await history.get(`/server/data/visits/${id}`);
  expect(status).toBe(200);
  return body.visitorState;
}

beforeAll(async () => {
  companion = await testCompanion({ allowExtensions: [FIREFOX_EXTENSION_ORIGIN] });
  history = api(companion.url);
  shop = await startShop({ companionUrl: companion.url });
  profile = await newProfile();
  lab = await launchFirefoxLab({ profile });
  await lab.ask({ type: 'settings:set', companionUrl: companion.url });
  page = await lab.browser.newPage();
  gwe = await startGweServer();
  snippetSite = await startSnippetSite({ gweUrl: gwe.url });
  // 127.0.0.2 is loopback too, but not one of the tracked hosts.
  untrackedSite = await startSnippetSite({ gweUrl: gwe.url, host: '127.0.0.2' });
});
afterAll(async () => {
  await Promise.all([snippetSite?.close(), untrackedSite?.close(), gwe?.close()]);
  await lab?.close();
  await shop?.close();
  await companion?.close();
  if (companion) removeDir(companion.dataDir);
  if (profile) removeDir(profile);
});

describe('the Firefox build', () => {
  it('is an MV3 add-on with a gecko id, background scripts and no Chromium key', () => {
    const manifest = lab.manifest;
    expect(manifest.manifest_version).toBe(3);
    expect(manifest.browser_specific_settings.gecko.id).toBe(lab.extensionId);
    expect(manifest.background).toEqual({ scripts: ['background.js'] });
    expect(manifest.key).toBeUndefined();
  });
});

describe('a visit in firefox-esr from Anonymous to Authenticated and back', () => {
  it('anonymous browsing: VisitStarted, a page per view, AddToCart; History and popup say Anonymous', async () => {
    let view = await visit(lab, page, shop.url('/'));
    expect(eventNames(view)).toEqual(['VisitStarted', 'PageEntered']);
    visitID = view.ids!.visitID;
    globalVisitID = view.ids!.globalVisitID;
    await pageView(lab, page, () => Promise.all([page.waitForNavigation(), page.click('#nav-products')]));
    await pageView(lab, page, () => Promise.all([page.waitForNavigation(), page.click('a.product')]));
    await page.click('#add-to-cart');
    view = await until(lab, page, (v) => eventNames(v).includes('AddToCart'));
    expect(eventNames(view)).toEqual(['VisitStarted', 'PageEntered', 'PageExited', 'PageEntered', 'PageExited', 'PageEntered', 'AddToCart']);
    expect(view.ids!.visitID).toBe(visitID);
    expect(new Set(events(view).map((e) => view.deliveries[e.eventID].state))).toEqual(new Set(['accepted']));
    expect(await visitorState()).toBe('Anonymous');
    await checkPopup('Anonymous', { visitID, sessionID: null, identityId: null });
  });

  it('sign-in: SignIn with a new sessionID; History, popup and full view say Authenticated', async () => {
    await visit(lab, page, shop.url('/login'));
    await page.type('#email', EMAIL);
    await page.type('#password', 'secret');
    await page.click('#remember');
    const view = await pageView(lab, page, () => Promise.all([page.waitForNavigation(), page.click('#sign-in')]));
    const signIn = events(view).find((e) => e.eventName === 'SignIn')!;
    expect(signIn.data).toMatchObject({ userId: EMAIL, email: EMAIL });
    expect(signIn.sessionID).toMatch(/^[0-9a-f]{32}$/);
    expect(view.deliveries[signIn.eventID].state).toBe('accepted');
    expect(await visitorState()).toBe('Authenticated');
    await checkPopup('Authenticated', { sessionID: signIn.sessionID!, identityId: EMAIL });
    // The full view (the DevTools panel's page) draws the same visit, state from the companion.
    const panel = await lab.openPanel(page);
    await popupState(panel, 'Authenticated');
    expect(await panel.$eval('#panel-visit-id', (e) => e.textContent)).toBe(visitID);
    // Read by keyboard, as in chromium's panel test (crowded marks fold into "+N" on screen).
    expect((await markNames(panel)).some((name) => name.includes('SignIn'))).toBe(true);
    await panel.close();
  });

  it('sign-out: SignOut ends the session; History and popup say Anonymous again', async () => {
    const view = await pageView(lab, page, () => Promise.all([page.waitForNavigation(), page.click('#nav-logout')]));
    const signOut = events(view).find((e) => e.eventName === 'SignOut')!;
    expect(signOut.sessionID).toBeDefined();
    expect(view.ids!.sessionID).toBeUndefined();
    expect(await visitorState()).toBe('Anonymous');
    await checkPopup('Anonymous', { sessionID: null, identityId: EMAIL });
  });

  it('the History API holds every captured event, the pages and the identity', async () => {
    const view = await settled(lab, page);
    const captured = events(view);
    const { body: visitRes } = await history.get(`/server/data/visits/${visitID}?include_pages_detail=true&include_events=true`);
    expect(new Set(visitRes.eventIds)).toEqual(new Set(captured.map((e) => e.eventID)));
    expect(visitRes.pages).toHaveLength(captured.filter((e) => e.eventName === 'PageEntered').length);
    expect(visitRes.pages.map((p: { title: string }) => p.title)).toContain('Lab Shop – Home');
    const signIns = await history.get(`/server/data/visits/${visitID}/events?eventName=SignIn`);
    expect(signIns.body).toHaveLength(1);
    const identity = await history.get(`/server/data/identities/${encodeURIComponent(EMAIL)}?include_visits=true`);
    expect(identity.body[0]).toMatchObject({ identityId: EMAIL, visitIds: [visitID] });
  });

  it('after Firefox restarted on the same profile: a new visit, Recognized after UserInfo', async () => {
    // A graceful close keeps the persistent cookies ("remember me"); the session ones are gone.
    await lab.close(); // keeps the profile it was given
    lab = await launchFirefoxLab({ profile });
    await lab.ask({ type: 'settings:set', companionUrl: companion.url });
    page = await lab.browser.newPage();
    const view = await visit(lab, page, shop.url('/'));
    expect(eventNames(view)).toEqual(['VisitStarted', 'PageEntered', 'UserInfo']);
    expect(view.ids!.visitID).not.toBe(visitID);
    expect(view.ids!.globalVisitID).toBe(globalVisitID);
    expect(await visitorState(view.ids!.visitID)).toBe('Recognized');
    await checkPopup('Recognized', { identityId: EMAIL, sessionID: null, visitID: view.ids!.visitID });
  });
});

describe("a site with GWE's own snippet, in firefox-esr", () => {
  const tracked = (p: Page) => p.evaluate(() => Boolean((window as unknown as { _gt?: Record<string, unknown> })._gt?.__visitorLab));
  const loaderRan = (p: Page) => p.evaluate(() => (window as unknown as { __gweLoaderRan?: string[] }).__gweLoaderRan ?? []);

  it('tracked: the loader is held back, the rules file is read, the GWE server gets nothing else', async () => {
    const p = await lab.browser.newPage();
    const view = await visit(lab, p, snippetSite.url('/'));
    expect(await tracked(p)).toBe(true);
    expect(await loaderRan(p)).toEqual([]);
    const [entered] = events(view).filter((e) => e.eventName === 'PageEntered');
    expect(view.deliveries[entered.eventID].state).toBe('accepted');
    // The site's rules, read from its GWE server (no CORS headers of its own): a click is BuyClicked.
    await expect.poll(() => gwe.requests.some((r) => r.path === '/server/resources/dsl/domain-model.xml'), { timeout: 5000 }).toBe(true);
    await p.click('#buy');
    const after = await until(lab, p, (v) => events(v).some((e) => e.eventName === 'BuyClicked'));
    expect(after.records.filter((r) => r.reason?.includes('dslResource'))).toEqual([]);
    const stored = await history.get(`/server/data/visits/${after.ids!.visitID}/events?eventName=PageEntered`);
    // Counted once (the shop's pages of this visit are on the same host, another port).
    expect(stored.body.filter((e: { url: string }) => e.url.startsWith(snippetSite.origin))).toHaveLength(1);
    expect(gwe.requests.filter((r) => !r.path.startsWith('/server/resources/dsl/'))).toEqual([]);
    await p.close();
  });

  it('not tracked: the same snippet loads its loader as usual', async () => {
    const before = gwe.requests.length;
    const p = await lab.browser.newPage();
    await p.goto(untrackedSite.url('/'), { waitUntil: 'load' });
    expect(await tracked(p)).toBe(false);
    await expect.poll(() => loaderRan(p).then((r) => [...r].sort())).toEqual(['GPE.min.js', 'GTC.min.js']);
    expect(gwe.requests.slice(before).map((r) => r.path)).toContain('/server/resources/js/build/GPE.min.js');
    await p.close();
  });
});
