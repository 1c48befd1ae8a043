// What the tracker captures from real pages, in chromium with the built extension: early pushes,
// a reassigned queue, legacy forms, garbage, getIDs, the config's languageCode; and what the
// popup shows and does with them (rejected marks, filter, actions, a new visit).
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TabView } from '../../extension/shared/messages';
import { openPopup, pageView, popupState, startLab, until, visit, type Lab } from './lab';

let lab: Lab;
let page: Page;
const pageErrors: string[] = [];

const events = (view: TabView) => view.records.flatMap((r) => r.events);
const named = (view: TabView, name: string) => events(view).filter((e) => e.eventName === name);

beforeAll(async () => {
  lab = await startLab({ shop: { loader: true, languageCode: 'fr' } });
  page = await lab.browser.browser.newPage();
  page.on('pageerror', (e) => pageErrors.push(String(e)));
});
afterAll(async () => lab?.close());

describe('capture from the page', () => {
  it('a push made in an inline head script, before any tracker could load, is captured and delivered', async () => {
    const view = await visit(lab.browser, page, lab.shop.url('/early'));
    const [early] = named(view, 'EarlyBird');
    expect(early).toMatchObject({ eventType: 'BUSINESS', data: { at: 'head' }, languageCode: 'fr' });
    expect(view.deliveries[early.eventID].state).toBe('accepted');
    // Replayed in order, after the page view's own events.
    const order = events(view).map((e) => e.eventName);
    expect(order.indexOf('PageEntered')).toBeLessThan(order.indexOf('EarlyBird'));
    const config = view.records.find((r) => r.outcome === 'config')!;
    expect(config.command).toEqual(['config', expect.objectContaining({ languageCode: 'fr' })]);
    const stored = await lab.api.get(`/server/data/visits/${view.ids!.visitID}/events?eventName=EarlyBird`);
    expect(stored.body).toHaveLength(1);
  });

  it("the site's GWE loader snippet does not add a second tracker next to the extension's", async () => {
    const view = await visit(lab.browser, page, lab.shop.url('/'));
    // GPE.min.js did load (the snippet is on every page) and saw the extension's tracker.
    expect(await page.evaluate(() => [...document.scripts].some((s) => s.src.endsWith('/GPE.min.js')))).toBe(true);
    const stored = await lab.api.get(`/server/data/visits/${view.ids!.visitID}/events?eventName=PageEntered`);
    expect(stored.body.length).toBe(named(view, 'PageEntered').length);
  });

  it('a site that reassigns window._gt = [] after the tracker loaded is still tracked', async () => {
    await visit(lab.browser, page, lab.shop.url('/reassign'));
    const view = await until(lab.browser, page, (v) => named(v, 'AfterReassign').length > 0);
    expect(named(view, 'AfterReassign')[0]).toMatchObject({ eventType: 'BUSINESS' });
    expect(await page.evaluate(() => Array.isArray((window as { _gt?: unknown })._gt))).toBe(true);
  });

  it('the legacy 8.1 event object form becomes a business event with its params as data', async () => {
    const view = await visit(lab.browser, page, lab.shop.url('/legacy'));
    expect(named(view, 'LegacyThing')[0].data).toEqual({ color: 'red' });
    const record = view.records.find((r) => r.events.some((e) => e.eventName === 'LegacyThing'))!;
    expect(record.form).toBe("8.1 ['event', {eventName, ...}]");
  });

  it('garbage pushed to _gt is rejected with reasons, and the page keeps running', async () => {
    const view = await visit(lab.browser, page, lab.shop.url('/garbage'));
    const rejected = view.records.filter((r) => r.outcome === 'rejected');
    expect(rejected.map((r) => r.reason)).toEqual([
      expect.stringMatching(/must be an array/),
      expect.stringMatching(/unknown command "noSuchCommand"/),
      expect.stringMatching(/must be an array.*null/),
    ]);
    // A SignIn naming no one is what GWE sends: sent with a warning, opening no session.
    const signIn = view.records.find((r) => r.events.some((e) => e.eventName === 'SignIn'))!;
    expect(signIn).toMatchObject({ outcome: 'event', warning: expect.stringMatching(/SignIn without userId or email/) });
    expect(signIn.events[0].sessionID).toBeUndefined();
    expect(view.deliveries[signIn.events[0].eventID].state).toBe('accepted');
    expect(await page.evaluate(() => (window as { __pageScriptsRan?: boolean }).__pageScriptsRan)).toBe(true);
    // More garbage from the console: nothing throws into the page.
    const thrown = await page.evaluate(() => {
      // A page whose console wrapper throws must not see the tracker's warnings throw.
      console.warn = () => {
        throw new Error('console wrapper');
      };
      const gt = (window as unknown as { _gt: { push(...a: unknown[]): unknown } })._gt;
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      const hostile = [undefined, 42, {}, [Symbol('x')], ['event', 'X', { data: cyclic }], ['getIDs', () => { throw new Error('site bug'); }], ['event', { eventName: '__proto__' }], JSON.parse('["event","Y",{"data":{"__proto__":{"polluted":1}}}]')];
      try {
        for (const h of hostile) gt.push(h);
        return null;
      } catch (e) {
        return String(e);
      }
    });
    expect(thrown).toBeNull();
    expect(pageErrors).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const after = await until(lab.browser, page, (v) => v.records.length >= view.records.length + 8);
    // The __proto__ key in data: the extension's protocol check rejects it before sending.
    const y = named(after, 'Y')[0];
    expect(after.deliveries[y.eventID]).toMatchObject({ state: 'rejected', by: 'extension', field: 'data.__proto__' });
  });

  it("the page's console shows rejected commands, and every command once config turns debug on", async () => {
    await visit(lab.browser, page, lab.shop.url('/'));
    const lines: Array<[string, string]> = [];
    const listen = (m: import('puppeteer').ConsoleMessage) => lines.push([m.type(), m.text()]);
    page.on('console', listen);
    await page.evaluate(() => {
      const gt = (window as unknown as { _gt: unknown[] })._gt;
      gt.push(['event', 'Quiet']);
      gt.push(['nope']);
      gt.push(['config', { debug: true }]);
      gt.push(['event', 'Loud']);
    });
    await expect.poll(() => lines.length).toBeGreaterThanOrEqual(3);
    page.off('console', listen);
    expect(lines.find(([, t]) => t.includes('Quiet'))).toBeUndefined();
    expect(lines).toContainEqual(['warn', expect.stringMatching(/^\[_gt\] rejected: unknown command "nope"/)]);
    expect(lines.some(([type, t]) => type === 'debug' && t.startsWith('[_gt] event'))).toBe(true);
  });

  it("fields GWE always sends: VisitStarted's timezoneOffset, category on every event; an unwrapped event's options are its data", async () => {
    const view = await visit(lab.browser, page, lab.shop.url('/'));
    await page.evaluate(() => (window as unknown as { _gt: unknown[] })._gt.push(['event', 'Unwrapped', { productName: 'Lamp' }]));
    const after = await until(lab.browser, page, (v) => named(v, 'Unwrapped').length > 0);
    const unwrapped = after.records.find((r) => r.events.some((e) => e.eventName === 'Unwrapped'))!;
    expect(unwrapped.events[0]).toMatchObject({ eventType: 'BUSINESS', data: { productName: 'Lamp' } });
    expect(unwrapped.warning).toMatch(/no \{ data: \.\.\. \} wrapper/);
    expect(after.deliveries[unwrapped.events[0].eventID].state).toBe('accepted');
    for (const e of events(after)) expect(e).toHaveProperty('category');
    const started = await lab.api.get(`/server/data/visits/${view.ids!.visitID}/events?eventName=VisitStarted`);
    const offset = await page.evaluate(() => new Date().getTimezoneOffset());
    expect(started.body[0].timezoneOffset).toBe(offset);
  });

  it('getIDs calls back with the ids of the visit, the same the popup shows', async () => {
    const view = await visit(lab.browser, page, lab.shop.url('/'));
    const ids = await page.evaluate(
      () => new Promise((resolve) => (window as unknown as { _gt: unknown[] })._gt.push(['getIDs', resolve])),
    );
    expect(ids).toEqual(view.ids);
  });
});

describe("business-event rules (the config's dslResource)", () => {
  it('a click rule (twice, on this page only) and a timer rule raise business events', async () => {
    await visit(lab.browser, page, lab.shop.url('/rules'));
    let view = await until(lab.browser, page, (v) => named(v, 'Seen').length > 0);
    const seen = view.records.find((r) => r.events.some((e) => e.eventName === 'Seen'))!;
    expect(seen).toMatchObject({ source: 'rule', outcome: 'event' });
    expect(named(view, 'PromoClicked')).toHaveLength(0);
    await page.click('#rule-button');
    await page.click('#rule-button');
    await page.click('#rule-button');
    view = await until(lab.browser, page, (v) => named(v, 'PromoClicked').length > 0);
    expect(named(view, 'PromoClicked')).toHaveLength(1); // count="2": three clicks, one event
    expect(named(view, 'NotHere')).toHaveLength(0); // its url is another page
    expect(named(view, 'PromoClicked')[0]).toMatchObject({ eventType: 'BUSINESS' });
    const stored = await lab.api.get(`/server/data/visits/${view.ids!.visitID}/events?eventType=BUSINESS&eventName=PromoClicked`);
    expect(stored.body).toHaveLength(1);
  });

  it("the companion's own domain-model.xml loads from the page (CORS), a missing one is reported", async () => {
    const fetched = page.waitForResponse((r) => r.url().endsWith('/server/resources/dsl/domain-model.xml'));
    const ok = await visit(lab.browser, page, `${lab.shop.url('/rules')}?dsl=${encodeURIComponent(`${lab.companion.url}/server/resources/dsl/domain-model.xml`)}`);
    expect((await fetched).status()).toBe(200);
    const bad = await visit(lab.browser, page, `${lab.shop.url('/rules')}?dsl=${encodeURIComponent(lab.shop.url('/no-such-rules.xml'))}`);
    const failed = await until(lab.browser, page, (v) => v.records.some((r) => r.source === 'rule' && r.outcome === 'rejected' && r.ids.pageID === bad.ids!.pageID));
    const report = failed.records.find((r) => r.source === 'rule' && r.ids.pageID === bad.ids!.pageID)!;
    expect(report.reason).toBe('dslResource: HTTP 404');
    expect(failed.records.some((r) => r.source === 'rule' && r.ids.pageID === ok.ids!.pageID)).toBe(false);
  });
});

describe('two tabs of one site', () => {
  it("a sign-in in one tab shows in the other's next event (the tracker re-reads the cookie within a second)", async () => {
    const other = await lab.browser.browser.newPage();
    await visit(lab.browser, other, lab.shop.url('/cart'));
    await visit(lab.browser, page, lab.shop.url('/products'));
    const sessionID = await page.evaluate(
      () =>
        new Promise<string>((r) => {
          const gt = (window as any)._gt;
          gt.push(['event', 'SignIn', { data: { userId: 'two-tabs' } }]);
          gt.push(['getIDs', (ids: { sessionID: string }) => r(ids.sessionID)]);
        }),
    );
    expect(sessionID).toMatch(/^[0-9a-f]{32}$/);
    await new Promise((r) => setTimeout(r, 1200));
    const seen = await other.evaluate(() => new Promise<string | undefined>((r) => (window as any)._gt.push(['getIDs', (ids: { sessionID?: string }) => r(ids.sessionID)])));
    expect(seen).toBe(sessionID);
    await page.evaluate(() => (window as any)._gt.push(['event', 'SignOut', { data: {} }]));
    await other.close();
  });
});

describe('the popup on those pages', () => {
  it('a long timeline: the newest 20 records first, older ones on demand, the filter searches them all', async () => {
    await visit(lab.browser, page, lab.shop.url('/products'));
    await page.evaluate(() => {
      for (let i = 0; i < 40; i++) (window as any)._gt.push(['event', `Bulk${i}`, { data: { i } }]);
    });
    const view = await until(lab.browser, page, (v) => v.records.some((r) => r.events.some((e) => e.eventName === 'Bulk39')));
    const popup = await openPopup(lab.browser, page);
    const rows = () => popup.$$eval('#timeline li.record', (els) => els.map((e) => e.querySelector('[data-event]')?.getAttribute('data-event') ?? ''));
    await popup.waitForSelector('#timeline-more');
    expect(await rows()).toHaveLength(20);
    expect((await rows())[0]).toBe('Bulk39'); // newest first
    expect(await popup.$eval('#timeline', (e) => (e as HTMLElement).dataset.total)).toBe(String(view.records.length));
    await popup.click('#timeline-more');
    await popup.waitForFunction((n) => document.querySelectorAll('#timeline li.record').length === n, {}, Math.min(view.records.length, 120));
    expect(await rows()).toContain('Bulk0');
    await popup.click('#timeline-filter', { count: 3 });
    await popup.type('#timeline-filter', 'Bulk1');
    // Bulk1 and Bulk10..Bulk19: found in the whole log, not only in what was shown.
    await popup.waitForFunction(() => document.querySelectorAll('#timeline li.record').length === 11);
    await popup.close();
  });

  it('marks rejected commands and filters the timeline', async () => {
    await visit(lab.browser, page, lab.shop.url('/garbage'));
    const popup = await openPopup(lab.browser, page);
    await popup.waitForSelector('[data-outcome="rejected"]');
    const rejected = await popup.$$eval('.page.current [data-outcome="rejected"]', (els) => els.map((e) => e.textContent));
    expect(rejected.some((t) => t?.includes('unknown command "noSuchCommand"'))).toBe(true);
    // The SignIn naming no one was sent: its row says why it identifies no one, in words.
    const warned = await popup.$$eval('.page.current [data-record-warning]', (els) => els.map((e) => e.textContent));
    expect(warned).toContainEqual(expect.stringMatching(/^warning: SignIn without userId or email/));
    await popup.type('#timeline-filter', 'noSuchCommand');
    // Only the matching command stays (once per visit of /garbage), in its page group.
    await popup.waitForFunction(() => {
      const rows = [...document.querySelectorAll('#timeline li.record')];
      return rows.length > 0 && rows.every((r) => r.textContent!.includes('noSuchCommand'));
    });
    const total = (await lab.browser.tabView(page)).records.length;
    expect(await popup.$$eval('#timeline li.record', (els) => els.length)).toBeLessThan(total / 4);
    await popup.close();
  });

  it('actions: SignIn, a business event, UserInfo and SignOut pushed from the popup', async () => {
    await visit(lab.browser, page, lab.shop.url('/'));
    const popup = await openPopup(lab.browser, page);
    await popupState(popup, 'Anonymous');
    await popup.type('#action-who', 'bob-42');
    await popup.click('#action-signin');
    await popupState(popup, 'Authenticated');
    await popup.waitForFunction(() => (document.querySelector('#id-identityId') as HTMLElement).dataset.value === 'bob-42');

    await popup.type('#action-event-name', 'Checkout');
    await popup.type('#action-event-data', '{"total": 12.5}');
    await popup.click('#action-event');
    let view = await until(lab.browser, page, (v) => named(v, 'Checkout').length > 0);
    expect(named(view, 'Checkout')[0].data).toEqual({ total: 12.5 });
    expect(view.records.find((r) => r.events.some((e) => e.eventName === 'Checkout'))!.source).toBe('lab');

    // Bad JSON never reaches the page: the popup says why.
    await popup.$eval('#action-event-data', (e) => ((e as HTMLInputElement).value = ''));
    await popup.type('#action-event-data', '{oops');
    await popup.click('#action-event');
    await popup.waitForSelector('#action-notice[data-ok="false"]');

    await popup.click('#action-signout');
    await popupState(popup, 'Anonymous');
    await popup.click('#action-userinfo');
    await popupState(popup, 'Recognized');
    view = await until(lab.browser, page, (v) => named(v, 'UserInfo').length > 0);
    expect(named(view, 'UserInfo')[0].data).toEqual({ userId: 'bob-42' });
    await popup.close();
  });

  it('"Start a new visit" clears the visit cookies: the reload starts a new visit, same globalVisitID', async () => {
    const before = (await lab.browser.tabView(page)).ids!;
    const popup = await openPopup(lab.browser, page);
    const view = await pageView(lab.browser, page, () => Promise.all([page.waitForNavigation(), popup.click('#action-new-visit')]));
    expect(view.ids!.visitID).not.toBe(before.visitID);
    expect(view.ids!.globalVisitID).toBe(before.globalVisitID);
    // The new page view's start (records of one page can be logged in any order).
    const started = view.records.find((r) => r.ids.pageID === view.ids!.pageID && r.events.some((e) => e.eventName === 'PageEntered'))!;
    expect(started.events.map((e) => e.eventName)).toEqual(['VisitStarted', 'PageEntered']);
    const { body } = await lab.api.get(`/server/data/visits/${view.ids!.visitID}`);
    expect(body).toMatchObject({ globalVisitID: before.globalVisitID, visitorState: 'Anonymous' });
    await popup.close().catch(() => undefined);
  });
});
