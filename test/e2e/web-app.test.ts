// The companion's web app in Debian's chromium (no extension: it needs none), served by the
// real CLI bundle: a Lab Shop-like journey posted over HTTP, then read back from the visits
// list, the visit page's picture and table, and the identity page, by accessible names and
// data (not pixels), against the History API; live updates; keyboard; no CSP violation.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchLab, type LabBrowser } from '../helpers/browser';
import { api, removeDir, spawnCompanion, tempDir, type Api, type ChildCompanion } from '../helpers/companion';
import { ev, pageEntered, signIn, visitCtx, visitStarted } from '../helpers/events';
import { useSharedDatabases } from '../helpers/shared-database';
import { cspViolations, EMAIL, historyEvents as journeyEvents, listedVisits, postJourney, watchPage } from './web-app-journey';

const SHOTS = process.env.VL_SCREENSHOTS; // a folder: the screenshots are written there too
let companion: ChildCompanion;
let dataDir: string;
let http: Api;
let browser: LabBrowser;
let shots: string;
const problems: string[] = [];

async function shot(p: Page, name: string): Promise<void> {
  await p.screenshot({ path: path.join(SHOTS ?? shots, `web-app-${name}.png`) as `${string}.png`, fullPage: true });
}

/** A page of the test's browser, watched for CSP violations and script errors. */
const appPage = async () => watchPage(await browser.browser.newPage(), problems);
const historyEvents = (visitId: string) => journeyEvents(http, visitId);

beforeAll(async () => {
  dataDir = tempDir();
  shots = await mkdtemp(path.join(tmpdir(), 'vl-web-app-'));
  companion = await spawnCompanion(['--port', '0', '--data', dataDir, '--quiet']);
  http = api(companion.url);
  browser = await launchLab({ extension: false });
  await postJourney(http);
});
afterAll(async () => {
  await browser?.close();
  companion?.child.kill('SIGTERM');
  await companion?.exited;
  if (dataDir) removeDir(dataDir);
  if (shots) removeDir(shots);
});

describe('the web app at the companion\'s root', () => {
  it('lists the visits newest first with the History API\'s states; filters are in the URL', async () => {
    const page = await appPage();
    await page.goto(`${companion.url}/`, { waitUntil: 'load' });
    await page.waitForSelector('table.visits tbody tr');
    const rows = await listedVisits(page);
    expect(rows.map((r) => r.id)).toEqual(['wa-bob', 'wa-ann-2', 'wa-ann-1']);
    for (const r of rows) expect(r.state).toBe((await http.get(`/server/data/visits/${r.id}`)).body.visitorState);
    expect(rows.map((r) => r.state)).toEqual(['Anonymous', 'Recognized', 'Anonymous']);
    await shot(page, 'visits');

    await page.select('select[name=visitorState]', 'Recognized');
    await page.waitForFunction(() => location.search === '?visitorState=Recognized');
    await page.waitForFunction(() => document.querySelectorAll('table.visits tbody tr').length === 1);
    expect((await listedVisits(page)).map((r) => r.id)).toEqual(['wa-ann-2']);
    // A shared (or reloaded) link shows the same list.
    await page.reload({ waitUntil: 'load' });
    await page.waitForSelector('table.visits tbody tr');
    expect((await listedVisits(page)).map((r) => r.id)).toEqual(['wa-ann-2']);
    await page.goto(`${companion.url}/?url=%2Fcart`, { waitUntil: 'load' });
    await page.waitForFunction(() => document.querySelectorAll('table.visits tbody tr').length === 1);
    expect((await listedVisits(page)).map((r) => r.id)).toEqual(['wa-bob']);
    expect(await page.$eval('input[name=url]', (i) => (i as HTMLInputElement).value)).toBe('/cart');
    expect(await cspViolations(page)).toEqual([]);
    await page.close();
  });

  it('updates the list live when new events arrive, without a reload', async () => {
    const page = await appPage();
    await page.goto(`${companion.url}/`, { waitUntil: 'load' });
    await page.waitForSelector('table.visits tbody tr');
    await page.evaluate(() => ((window as unknown as { __same: boolean }).__same = true));
    const v = visitCtx('wa-live');
    await http.post('/server/events', [visitStarted(v, { pageID: 'p1' }), pageEntered(v, 'p1', 'http://shop.test/live', 'Live')]);
    await page.waitForSelector('tr[data-visit-id="wa-live"]', { timeout: 5000 });
    expect((await listedVisits(page))[0]).toEqual({ id: 'wa-live', state: 'Anonymous' });
    // The page's state survived: it was updated in place.
    expect(await page.evaluate(() => (window as unknown as { __same?: boolean }).__same)).toBe(true);
    // Signed in meanwhile: the row's state follows.
    v.sessionID = 'wa-live-s';
    await http.post('/server/events', [signIn(v, { email: 'live@shop.test' }, 'p1')]);
    await page.waitForFunction(() => document.querySelector('tr[data-visit-id="wa-live"] .state')?.textContent?.includes('Authenticated'), { timeout: 5000 });
    expect(await cspViolations(page)).toEqual([]);
    await page.close();
  });

  it('updates a visit\'s page live when its events arrive', async () => {
    const page = await appPage();
    const v = visitCtx('wa-growing');
    await http.post('/server/events', [visitStarted(v, { pageID: 'p1' }), pageEntered(v, 'p1', 'http://shop.test/', 'Lab Shop')]);
    await page.goto(`${companion.url}/visits/wa-growing`, { waitUntil: 'load' });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=events-table] tbody tr').length === 2);
    const added = ev(v, 'AddToCart', { pageID: 'p1', data: { sku: 'sku-9' } });
    await http.post('/server/events', [added]);
    await page.waitForSelector(`[data-testid=visit-picture] .vl-mark[data-key="${added.eventID}"]`, { timeout: 5000 });
    expect(await page.$$eval('[data-testid=events-table] tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-event-id')))).toEqual(
      (await historyEvents('wa-growing')).map((e) => e.eventID),
    );
    await page.close();
  });

  it('the visit page: picture and table read back the History API\'s states, pages and events', async () => {
    const page = await appPage();
    await page.goto(`${companion.url}/visits/wa-ann-1`, { waitUntil: 'load' });
    await page.waitForSelector('[data-testid=visit-picture] .vl-mark');
    await page.waitForSelector('[data-testid=events-table] tbody tr');
    // The reads the HTML preloaded were used, not made twice.
    const reads = await page.evaluate(() => performance.getEntriesByType('resource').map((r) => r.name).filter((n) => n.includes('/server/data/')));
    expect(reads.map((n) => new URL(n).pathname + new URL(n).search).sort()).toEqual(['/server/data/visits/wa-ann-1/pages?page_size=1000', '/server/data/visits/wa-ann-1?include_events_detail=true']);
    const stored = await historyEvents('wa-ann-1');
    const byTime = [...stored].sort((x, y) => x.timestamp - y.timestamp);

    // The picture: one mark per stored event, named by its event and the state after it.
    const marks = await page.$$eval('[data-testid=visit-picture] .vl-mark[data-key]', (els) => els.map((e) => ({ key: e.getAttribute('data-key')!, name: e.getAttribute('aria-label')! })));
    expect(marks.map((m) => m.key).sort()).toEqual(stored.map((e) => e.eventID).sort());
    for (const e of stored) {
      const name = marks.find((m) => m.key === e.eventID)!.name;
      expect(name.startsWith(e.eventName)).toBe(true);
      expect(name).toMatch(new RegExp(`state (\\w+ to )?${e.visitorState}`));
    }
    // The state band: Anonymous, Authenticated after the SignIn (naming the identity), Anonymous after the SignOut.
    const segments = await page.$$eval('[data-testid=visit-picture] .vl-seg', (els) => els.map((e) => ({ state: e.getAttribute('data-state'), name: e.getAttribute('aria-label')! })));
    expect(segments.map((s) => s.state)).toEqual(['Anonymous', 'Authenticated', 'Anonymous']);
    expect(segments[1].name).toContain(`(${EMAIL})`);
    expect(segments[1].name).toContain('after SignIn');
    expect(segments[2].name).toContain('after SignOut');
    // One page-view bar per page of the History API, titled as it.
    const pages = (await http.get('/server/data/visits/wa-ann-1/pages')).body as Array<{ title: string }>;
    const bars = await page.$$eval('[data-testid=visit-picture] [role=img][data-page]', (els) => els.map((e) => e.getAttribute('aria-label')!));
    expect(bars).toHaveLength(pages.length);
    for (const p of pages) expect(bars.some((b) => b.startsWith(`Page view ${p.title}`))).toBe(true);

    // The table: every event in the History API's order, with its name and state after it.
    const rows = await page.$$eval('[data-testid=events-table] tbody tr', (trs) =>
      trs.map((tr) => ({ id: tr.getAttribute('data-event-id'), name: tr.querySelector('th')!.textContent!.trim(), state: tr.querySelector('.state')!.textContent!.replace(/^\W+/, '').trim() })),
    );
    expect(rows).toEqual(stored.map((e) => ({ id: e.eventID, name: e.eventName, state: e.visitorState })));
    expect(byTime.map((e) => e.eventName)).toEqual(['VisitStarted', 'PageEntered', 'PageEntered', 'AddToCart', 'PageEntered', 'SignIn', 'PageEntered', 'SignOut', 'PageExited']);
    expect(await page.$eval('[data-testid=visit-state]', (e) => e.textContent!.replace(/^\W+/, ''))).toBe((await http.get('/server/data/visits/wa-ann-1')).body.visitorState);
    await shot(page, 'visit');

    // Keyboard: the picture's marks are reached with Tab and arrows; Enter shows the moment in
    // the inspector and marks its row in the table.
    await page.focus('[data-testid=visit-picture] .vl-mark[tabindex="0"]');
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('data-key'));
    expect(focused).toBeTruthy();
    await page.keyboard.press('Enter');
    const chosen = stored.find((e) => e.eventID === focused)!;
    await page.waitForSelector(`tr[data-event-id="${chosen.eventID}"][aria-current="true"]`);
    expect(await page.$eval('.inspector section', (s) => s.getAttribute('aria-label'))).toContain(chosen.eventName);
    expect(await page.$eval(`.vl-mark[data-key="${chosen.eventID}"]`, (m) => m.getAttribute('aria-pressed'))).toBe('true');
    // And from the table: its button selects the mark.
    const signInEvent = byTime.find((e) => e.eventName === 'SignIn')!;
    await page.click(`tr[data-event-id="${signInEvent.eventID}"] button`);
    await page.waitForSelector(`.vl-mark[data-key="${signInEvent.eventID}"][aria-pressed="true"]`);
    // The selection is in the address: a reload (or a shared link) shows the same moment.
    expect(new URL(page.url()).search).toBe(`?event=${signInEvent.eventID}`);
    await page.reload({ waitUntil: 'load' });
    await page.waitForSelector(`tr[data-event-id="${signInEvent.eventID}"][aria-current="true"]`);
    expect(await page.$eval('.inspector section', (s) => s.getAttribute('aria-label'))).toContain('SignIn');
    await shot(page, 'visit-selected');
    expect(await cspViolations(page)).toEqual([]);
    await page.close();
  });

  it('the identity page: every visit on one axis, from Anonymous to Authenticated to Recognized, and the profile', async () => {
    const page = await appPage();
    await page.goto(`${companion.url}/identities/${encodeURIComponent(EMAIL)}`, { waitUntil: 'load' });
    await page.waitForSelector(`section[aria-label="Visits of ${EMAIL}"] .vl-seg`);
    const segs = await page.$$eval(`section[aria-label="Visits of ${EMAIL}"] .vl-seg`, (els) => els.map((e) => e.getAttribute('data-state')));
    expect(segs).toEqual(['Anonymous', 'Authenticated', 'Anonymous', 'Anonymous', 'Recognized']);
    // The same changes in words, per visit, oldest first.
    const changes = await page.$$eval('ol.journey > li', (lis) =>
      lis.map((li) => ({ visit: li.getAttribute('data-visit-id'), changes: [...li.querySelectorAll('.changes li')].map((c) => c.textContent!.replace(/^[\d:.]+\s*\W*/, '').trim()) })),
    );
    expect(changes).toEqual([
      { visit: 'wa-ann-1', changes: ['Anonymous after VisitStarted', `Authenticated after SignIn ${EMAIL}`, 'Anonymous after SignOut'] },
      { visit: 'wa-ann-2', changes: ['Anonymous after VisitStarted', `Recognized after UserInfo ${EMAIL}`] },
    ]);
    const identity = (await http.get(`/server/data/identities/${encodeURIComponent(EMAIL)}`)).body[0];
    const profile = await page.$$eval('table.profile tr', (trs) => Object.fromEntries(trs.map((tr) => [tr.querySelector('th')!.textContent, tr.querySelector('td')!.textContent])));
    expect(profile).toEqual(Object.fromEntries(Object.entries(identity.profile).map(([k, v]) => [k, String(v)])));
    await shot(page, 'identity');
    // A visit's link opens it in the app (history API routing, no reload).
    await page.click('ol.journey a[href="/visits/wa-ann-2"]');
    await page.waitForFunction(() => location.pathname === '/visits/wa-ann-2');
    await page.waitForSelector('[data-testid=events-table] tbody tr');
    expect(await page.title()).toBe('Visit wa-ann-2 · Visitor Lab');
    expect(await cspViolations(page)).toEqual([]);
    await page.close();
  });

  it('contacts and health; an unknown visit says so', async () => {
    const page = await appPage();
    await page.goto(`${companion.url}/contacts`, { waitUntil: 'load' });
    await page.waitForSelector('table tbody tr');
    expect(await page.$$eval('table tbody tr td:nth-child(3)', (tds) => tds.map((t) => t.textContent))).toContain(EMAIL);
    await shot(page, 'contacts');
    await page.goto(`${companion.url}/health`, { waitUntil: 'load' });
    await page.waitForSelector('[data-testid=health-status]');
    expect(await page.$eval('[data-testid=health-status]', (e) => e.textContent)).toBe('✓ ok');
    const counts = Object.fromEntries(await page.$$eval('table.counts tr', (trs) => trs.map((tr) => [tr.querySelector('th')!.textContent, tr.querySelector('td')!.textContent])));
    const health = (await http.get('/lab/health')).body;
    expect(counts.visits).toBe(String(health.counts.visits));
    expect(counts.events).toBe(String(health.counts.events));
    // Where the data is, and what is kept (this companion keeps everything).
    expect(await page.$eval('[data-testid=health-where]', (e) => e.textContent)).toBe(health.dataDir);
    expect(await page.$eval('[data-testid=health-keeps]', (e) => e.textContent)).toBe('everything (no --retain-days or --max-events)');
    await shot(page, 'health');
    await page.goto(`${companion.url}/visits/no-such-visit`, { waitUntil: 'load' });
    await page.waitForSelector('[role=alert]');
    expect(await page.$eval('[role=alert]', (e) => e.textContent)).toContain('404');
    expect(await cspViolations(page)).toEqual([]);
    await page.close();
  });

  it('works by keyboard from the list: a visit link, then back', async () => {
    const page = await appPage();
    await page.goto(`${companion.url}/`, { waitUntil: 'load' });
    await page.waitForSelector('a[href="/visits/wa-ann-1"]');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.focus('a[href="/visits/wa-ann-1"]');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => location.pathname === '/visits/wa-ann-1');
    await page.waitForSelector('[data-testid=visit-picture] .vl-mark');
    await page.goBack();
    await page.waitForSelector('table.visits tbody tr');
    expect(await page.evaluate(() => location.pathname)).toBe('/');
    // At a narrow width the page still fits: no horizontal scroll of the document.
    await page.setViewport({ width: 700, height: 800 });
    await page.goto(`${companion.url}/visits/wa-ann-1`, { waitUntil: 'load' });
    await page.waitForSelector('[data-testid=visit-picture] .vl-mark');
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await shot(page, 'visit-narrow');
    await page.close();
  });

  it('export links for the page\'s scope; import of a JSON export shows its summary (once the lab export routes exist)', async (ctx) => {
    const probe = await fetch(`${companion.url}/lab/export?format=json&visitId=wa-ann-1`);
    if (probe.status === 404) return ctx.skip();
    const page = await appPage();
    await page.goto(`${companion.url}/visits/wa-ann-1`, { waitUntil: 'load' });
    await page.waitForSelector('.transfer a');
    const links = await page.$$eval('.transfer a', (as) => as.map((a) => [a.getAttribute('aria-label'), a.getAttribute('href')]));
    expect(links.map((l) => l[1])).toEqual(['/lab/export?format=json&visitId=wa-ann-1', '/lab/export?format=har&visitId=wa-ann-1', '/lab/export?format=csv&visitId=wa-ann-1']);
    // Each link answers from the page's own origin (what a click downloads).
    for (const [, href] of links) {
      const status = await page.evaluate(async (h) => (await fetch(h!)).status, href);
      expect({ href, status }).toEqual({ href, status: 200 });
    }
    const exported = await page.evaluate(async () => (await fetch('/lab/export?format=json')).text());
    const before = await historyEvents('wa-ann-1');
    await http.post('/lab/reset', '');
    expect((await http.get('/server/data/visits/wa-ann-1')).status).toBe(404);
    const file = path.join(shots, 'export.json');
    await writeFile(file, exported);
    await page.goto(`${companion.url}/`, { waitUntil: 'load' });
    const input = await page.waitForSelector('.transfer input[type=file]');
    await input!.uploadFile(file);
    await page.waitForSelector('.import-result');
    expect(await page.$eval('.import-result', (e) => e.textContent)).toMatch(/Imported: \d+ events accepted, 0 duplicate, 0 rejected/);
    await page.waitForSelector('tr[data-visit-id="wa-ann-1"]');
    expect(await historyEvents('wa-ann-1')).toEqual(before);
    await shot(page, 'imported');
    expect(await cspViolations(page)).toEqual([]);
    await page.close();
  });

  it('a visit past the History API\'s response bound is read page by page instead', async () => {
    const small = await spawnCompanion(['--port', '0', '--data', tempDir(), '--quiet'], { env: { ...process.env, VISITOR_LAB_HISTORY_MAX_RESPONSE: '2048' } });
    try {
      const v = visitCtx('wa-big');
      const events = [visitStarted(v, { pageID: 'p1' }), pageEntered(v, 'p1', 'http://shop.test/', 'Lab Shop')];
      for (let i = 0; i < 6; i++) events.push(ev(v, 'ProductViewed', { pageID: 'p1', data: { sku: `sku-${i}`, blurb: 'x'.repeat(150) } }));
      await api(small.url).post('/server/events', events);
      expect((await api(small.url).get('/server/data/visits/wa-big?include_events_detail=true')).body.field).toBe('include_events_detail');
      const page = await appPage();
      await page.goto(`${small.url}/visits/wa-big`, { waitUntil: 'load' });
      await page.waitForSelector('[data-testid=events-table] tbody tr');
      const ids = await page.$$eval('[data-testid=events-table] tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-event-id')));
      expect(ids).toEqual(events.map((e) => e.eventID));
      await page.close();
    } finally {
      small.child.kill('SIGTERM');
      await small.exited;
    }
  });

  it('under --auth the browser is asked for credentials, and with them every page works', async () => {
    const locked = await spawnCompanion(['--port', '0', '--data', tempDir(), '--quiet', '--auth', 'tess:secret']);
    try {
      const v = visitCtx('wa-auth');
      await api(locked.url).post('/server/events', [visitStarted(v, { pageID: 'p1' }), pageEntered(v, 'p1', 'http://shop.test/', 'Lab Shop')]);
      // Without credentials the page is a 401 whose WWW-Authenticate makes a browser prompt
      // (headless chromium fails the navigation instead; test/integration/web-app.test.ts has it).
      const refused = await fetch(`${locked.url}/visits/wa-auth`);
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toMatch(/^Basic realm="Visitor Lab"/);
      // The person types them once: the app's own requests (preloads, fetches, the module
      // script) carry them from then on.
      const page = await appPage();
      await page.authenticate({ username: 'tess', password: 'secret' });
      await page.goto(`${locked.url}/visits/wa-auth`, { waitUntil: 'load' });
      await page.waitForSelector('[data-testid=events-table] tbody tr');
      expect(await page.$$eval('[data-testid=events-table] tbody tr', (trs) => trs.length)).toBe(2);
      await page.goto(`${locked.url}/`, { waitUntil: 'load' });
      await page.waitForSelector('tr[data-visit-id="wa-auth"]');
      expect(await cspViolations(page)).toEqual([]);
      await page.close();
    } finally {
      locked.child.kill('SIGTERM');
      await locked.exited;
    }
  });

  it('printed no CSP violation or script error on any page', () => {
    // Expected: the 404 of an unknown visit, and the 400s that told the app to read wa-big page by page.
    // Expected: the 404 of an unknown visit, and the 400s that told the app to read wa-big page by page.
    const expected = (p: string) => /status of 404/.test(p) || /\/visits\/wa-big: .*status of 400/.test(p);
    expect(problems.filter((p) => !expected(p))).toEqual([]);
  });
});

describe('the health page of a companion on PostgreSQL with retention', () => {
  const shared = useSharedDatabases();

  it('names the database (without its password) and what is kept', async () => {
    const database = await shared.database();
    const pgCompanion = await shared.spawn(database, ['--retain-days', '7', '--max-events', '100000']);
    const page = await appPage();
    await page.goto(`${pgCompanion.url}/health`, { waitUntil: 'load' });
    await page.waitForSelector('[data-testid=health-keeps]');
    const where = await page.$eval('[data-testid=health-where]', (e) => [e.previousElementSibling!.textContent, e.textContent]);
    expect(where).toEqual(['Database (PostgreSQL)', (await api(pgCompanion.url).get('/lab/health')).body.database]);
    expect(where[1]).not.toContain(new URL(database).password);
    expect(await page.$eval('[data-testid=health-keeps]', (e) => e.textContent)).toBe(
      'visits active within 7 days; about 100,000 events at most; forgotten since it started: 0 visits (0 events)',
    );
    await shot(page, 'health-postgres');
    expect(await cspViolations(page)).toEqual([]);
    await page.close();
  });
});
