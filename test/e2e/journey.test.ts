// The tester's story from the issue: anonymous browsing, sign-in, pages, sign-out, then the
// browser restarted on the same profile (a new visit, Recognized after the site's UserInfo).
// At each step the real popup shows the state, and the History API tells the same story.
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TabView } from '../../extension/shared/messages';
import { launchLab, newProfile } from '../helpers/browser';
import { removeDir } from '../helpers/companion';
import { openPopup, pageView, popupState, startLab, text, until, visit, type Lab } from './lab';

let lab: Lab;
let profile: string;
let page: Page;
const EMAIL = 'ann@shop.test';
const firstVisit: { visitID?: string; globalVisitID?: string; pageIDs: string[] } = { pageIDs: [] };

const eventNames = (view: TabView) => view.records.flatMap((r) => r.events.map((e) => e.eventName));

async function checkPopup(state: string, expected: Record<string, string | null>): Promise<Page> {
  const popup = await openPopup(lab.browser, page);
  await popupState(popup, state);
  for (const [name, value] of Object.entries(expected)) {
    await popup.waitForFunction(
      (n, v) => (document.querySelector(`#id-${n}`) as HTMLElement | null)?.dataset.value === (v ?? ''),
      { timeout: 10_000 },
      name,
      value,
    );
  }
  return popup;
}

beforeAll(async () => {
  profile = await newProfile();
  lab = await startLab({ profile });
  page = await lab.browser.browser.newPage();
});
afterAll(async () => {
  await lab?.close();
  removeDir(profile);
});

describe('a visit from Anonymous to Authenticated and back, then Recognized after a restart', () => {
  it('anonymous browsing: VisitStarted, then a page per view; the popup says Anonymous', async () => {
    let view = await visit(lab.browser, page, lab.shop.url('/'));
    expect(eventNames(view)).toEqual(['VisitStarted', 'PageEntered']);
    firstVisit.visitID = view.ids!.visitID;
    firstVisit.globalVisitID = view.ids!.globalVisitID;
    await pageView(lab.browser, page, () => Promise.all([page.waitForNavigation(), page.click('#nav-products')]));
    await pageView(lab.browser, page, () => Promise.all([page.waitForNavigation(), page.click('a.product')]));
    await page.click('#add-to-cart');
    await page.waitForFunction(() => document.querySelector('#cart-status')?.textContent?.includes('Added'));
    view = await until(lab.browser, page, (v) => eventNames(v).includes('AddToCart'));
    expect(eventNames(view)).toEqual(['VisitStarted', 'PageEntered', 'PageExited', 'PageEntered', 'PageExited', 'PageEntered', 'AddToCart']);
    expect(view.ids!.visitID).toBe(firstVisit.visitID);
    expect(view.ids!.sessionID).toBeUndefined();

    const popup = await checkPopup('Anonymous', { visitID: firstVisit.visitID!, sessionID: null, identityId: null });
    expect(await text(popup, '#timeline')).toContain('AddToCart');
    await popup.close();
  });

  it('sign-in: SignIn with a new sessionID; the popup says Authenticated', async () => {
    await visit(lab.browser, page, lab.shop.url('/login'));
    await page.type('#email', EMAIL);
    await page.type('#password', 'secret');
    await page.click('#remember');
    const view = await pageView(lab.browser, page, () => Promise.all([page.waitForNavigation(), page.click('#sign-in')]));
    const signIn = view.records.flatMap((r) => r.events).find((e) => e.eventName === 'SignIn')!;
    expect(signIn.data).toMatchObject({ userId: EMAIL, email: EMAIL });
    expect(signIn.sessionID).toMatch(/^[0-9a-f]{32}$/);
    expect(view.ids!.sessionID).toBe(signIn.sessionID);
    // The account page pushed SignIn in its head: its PageEntered, sent first, was before the session.
    const accountEntered = view.records
      .flatMap((r) => r.events)
      .find((e) => e.eventName === 'PageEntered' && e.pageID === signIn.pageID)!;
    expect(accountEntered.sessionID).toBeUndefined();
    expect(view.deliveries[signIn.eventID].state).toBe('accepted');

    const popup = await checkPopup('Authenticated', { sessionID: signIn.sessionID!, identityId: EMAIL });
    // The identity transition is marked in the timeline.
    expect(await popup.$$eval('[data-transition="SignIn"]', (els) => els.length)).toBe(1);
    // Copy puts the id itself on the clipboard.
    await lab.browser.browser.defaultBrowserContext().overridePermissions(`chrome-extension://${lab.browser.extensionId}`, [
      'clipboard-read',
      'clipboard-write',
      'clipboard-sanitized-write',
    ]);
    await popup.click('[data-copy="sessionID"]');
    await popup.waitForFunction(() => document.querySelector('[data-copy="sessionID"]')?.textContent === 'copied');
    expect(await popup.evaluate(() => navigator.clipboard.readText())).toBe(signIn.sessionID);
    await popup.close();
  });

  it('pages while signed in carry the sessionID; a revisited page is a new page', async () => {
    const before = (await lab.browser.tabView(page)).ids!.sessionID;
    await visit(lab.browser, page, lab.shop.url('/cart'));
    const view = await visit(lab.browser, page, lab.shop.url('/'));
    const events = view.records.flatMap((r) => r.events).filter((e) => e.timestamp > 0);
    const lastHome = events.filter((e) => e.eventName === 'PageEntered').at(-1)!;
    expect(lastHome.sessionID).toBe(before);
  });

  it('sign-out: SignOut closes the session; the popup says Anonymous again', async () => {
    const view = await pageView(lab.browser, page, () => Promise.all([page.waitForNavigation(), page.click('#nav-logout')]));
    expect(await page.$('#nav-login')).not.toBeNull();
    const signOut = view.records.flatMap((r) => r.events).find((e) => e.eventName === 'SignOut')!;
    expect(signOut.sessionID).toBeDefined(); // the session it ends
    expect(view.ids!.sessionID).toBeUndefined();
    const popup = await checkPopup('Anonymous', { sessionID: null, identityId: EMAIL });
    await popup.close();
  });

  it('the History API holds the same visit, pages, events and identity', async () => {
    const view = await lab.browser.tabView(page);
    const captured = view.records.flatMap((r) => r.events);
    const { status, body: visitRes } = await lab.api.get(
      `/server/data/visits/${firstVisit.visitID}?include_pages_detail=true&include_events=true`,
    );
    expect(status).toBe(200);
    expect(visitRes).toMatchObject({ visitId: firstVisit.visitID, globalVisitID: firstVisit.globalVisitID, visitorState: 'Anonymous' });
    expect(new Set(visitRes.eventIds)).toEqual(new Set(captured.map((e) => e.eventID)));
    // One page resource per page view: home was viewed three times.
    const entered = captured.filter((e) => e.eventName === 'PageEntered');
    expect(visitRes.pages).toHaveLength(entered.length);
    const homes = visitRes.pages.filter((p: { url: string }) => p.url === lab.shop.url('/'));
    expect(homes.length).toBe(3);
    expect(new Set(homes.map((p: { pageId: string }) => p.pageId)).size).toBe(3);
    expect(visitRes.pages.map((p: { title: string }) => p.title)).toContain('Lab Shop – Home');
    firstVisit.pageIDs = visitRes.pageIds;

    const identity = await lab.api.get(`/server/data/identities/${encodeURIComponent(EMAIL)}?include_visits=true`);
    expect(identity.body[0]).toMatchObject({ identityId: EMAIL, visitScope: 'Recognized', visitIds: [firstVisit.visitID] });
    const sessionEvents = await lab.api.get(`/server/data/visits/${firstVisit.visitID}/events?eventName=SignIn`);
    expect(sessionEvents.body).toHaveLength(1);
  });

  it('after a browser restart on the same profile: a new visit, Recognized after UserInfo', async () => {
    // A graceful close writes the persistent cookies; the browser-session ones are gone after.
    await lab.browser.browser.close();
    lab.browser = await launchLab({ profile });
    await lab.browser.ask({ type: 'settings:set', companionUrl: lab.companion.url });
    page = await lab.browser.browser.newPage();
    const view = await visit(lab.browser, page, lab.shop.url('/'));
    expect(eventNames(view)).toEqual(['VisitStarted', 'PageEntered', 'UserInfo']);
    expect(view.ids!.visitID).not.toBe(firstVisit.visitID);
    expect(view.ids!.globalVisitID).toBe(firstVisit.globalVisitID);
    expect(view.ids!.sessionID).toBeUndefined();

    const popup = await checkPopup('Recognized', { identityId: EMAIL, sessionID: null, visitID: view.ids!.visitID });
    await popup.close();

    const { body: second } = await lab.api.get(`/server/data/visits/${view.ids!.visitID}`);
    expect(second).toMatchObject({ globalVisitID: firstVisit.globalVisitID, visitorState: 'Recognized', identityIds: [EMAIL] });
    const visits = await lab.api.get(`/server/data/identities/${encodeURIComponent(EMAIL)}/visits`);
    expect(visits.body.map((v: { visitId: string }) => v.visitId).sort()).toEqual([firstVisit.visitID, view.ids!.visitID].sort());
    const recognized = await lab.api.get(`/server/data/visits/${view.ids!.visitID}/identities?association=Recognized`);
    expect(recognized.body.map((i: { identityId: string }) => i.identityId)).toEqual([EMAIL]);
  });
});
