// The web app's Check page (issue 11, "Expectations", last bullet), served by the real CLI bundle
// in Debian's chromium: a bad spec named beside its text with nothing sent; a pasted spec checked
// against a run chosen from GET /lab/runs (the scope in the URL, the spec in sessionStorage), and
// ticked off live as events are posted; the live looks are not noted on the run; no CSP violation.
import path from 'node:path';
import type { HTTPRequest, Page } from 'puppeteer';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchLab, type LabBrowser } from '../helpers/browser';
import { api, removeDir, spawnCompanion, tempDir, type Api, type ChildCompanion } from '../helpers/companion';
import { pageEntered, signIn, visitCtx, visitStarted, type VisitCtx } from '../helpers/events';
import { cspViolations, watchPage } from './web-app-journey';

const SHOTS = process.env.VL_SCREENSHOTS; // a folder: the screenshots are written there too
const SPEC = {
  name: 'shop sign-in',
  visits: [{ name: 'signs in at /login', steps: [{ event: 'VisitStarted' }, { event: 'PageEntered', url: '/login' }, { event: 'SignIn', data: { email: 'ann@shop.test' } }, { state: 'Authenticated' }] }],
  identities: [{ identityId: 'ann@shop.test', visitScope: 'Authenticated' }],
  noRejected: true,
};

let companion: ChildCompanion;
let dataDir: string;
let http: Api;
let browser: LabBrowser;
let page: Page;
let runId: string;
let c: VisitCtx;
const problems: string[] = [];
const checks: string[] = [];

async function send(events: unknown[]) {
  const res = await http.post('/server/events', events, { 'X-Lab-Run': runId });
  expect(res.body.rejected).toBe(0);
}

/** Each step's status word, in order, once they read `expected`. */
async function stepsRead(expected: string[]): Promise<void> {
  await expect
    .poll(() => page.$$eval('.vl-check-step .vl-check-status', (els) => els.map((e) => (e as HTMLElement).innerText.replace(/\s+/g, ' ').trim())), { timeout: 10_000, interval: 200 })
    .toEqual(expected);
}

async function paste(text: string): Promise<void> {
  await page.$eval(
    '#spec-text',
    (t, v) => {
      (t as HTMLTextAreaElement).value = v;
      t.dispatchEvent(new Event('input', { bubbles: true }));
    },
    text,
  );
}

beforeAll(async () => {
  dataDir = tempDir();
  companion = await spawnCompanion(['--port', '0', '--data', dataDir, '--quiet']);
  http = api(companion.url);
  browser = await launchLab({ extension: false });
  runId = (await http.post('/lab/runs', { name: 'sign-in, Chrome' })).body.runId;
  c = visitCtx('check-ann');
  await send([visitStarted(c), pageEntered(c, 'p1', 'http://shop.test/login', 'Sign in')]);
  page = await watchPage(await browser.browser.newPage(), problems);
  page.on('request', (r: HTTPRequest) => void (r.url().endsWith('/lab/check') && checks.push(r.postData() ?? '')));
});
afterAll(async () => {
  await browser?.close();
  companion?.child.kill('SIGTERM');
  await companion?.exited;
  if (dataDir) removeDir(dataDir);
});

it('names a bad spec\'s place and reason beside its text, and sends nothing', async () => {
  await page.goto(`${companion.url}/check`, { waitUntil: 'load' });
  await page.waitForSelector('#spec-text');
  expect(await page.$eval('nav a[aria-current="page"]', (a) => a.textContent)).toBe('Check');
  await paste('{"visits": [{"steps": [{"event": "SignIn", "url": {"re": "(("}}]}]}');
  const problem = await page.waitForSelector('#spec-problem');
  expect(await problem!.evaluate((e) => (e as HTMLElement).innerText)).toMatch(/^Not a spec, nothing checked: spec\.visits\[0\]\.steps\[0\]\.url\.re /);
  expect(await page.$eval('#spec-text', (t) => t.getAttribute('aria-describedby'))).toBe('spec-problem');
  await new Promise((r) => setTimeout(r, 300));
  expect(checks).toEqual([]);
});

it('ticks a pasted spec off live against the chosen run as events come in', async () => {
  await paste(JSON.stringify(SPEC, null, 1));
  await stepsRead(['✓ met', '✓ met', '… not yet', '· not yet']);
  await page.click('input[name=scope][value=run]');
  await page.waitForFunction((id) => location.search === `?run=${id}`, {}, runId);
  await page.waitForFunction((id) => document.querySelector('.vl-check-verdict')?.textContent?.includes(`run ${id}, 1 visit`), {}, runId);
  expect(await page.$eval('[aria-current="step"] .vl-check-message', (e) => (e as HTMLElement).innerText)).toMatch(/step 3 .*SignIn/);
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, 'web-app-check-half.png') as `${string}.png`, fullPage: true });

  c.sessionID = 'check-s1';
  await send([signIn(c, { email: 'ann@shop.test' }, 'p1')]);
  await stepsRead(['✓ met', '✓ met', '✓ met', '✓ met']);
  await page.waitForFunction(() => document.querySelector('.vl-check-verdict')?.textContent?.includes('Passed: 3 of 3 met'));
  expect(await page.$eval('.vl-check-visit a', (a) => a.getAttribute('href'))).toBe('/visits/check-ann');
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, 'web-app-check-passed.png') as `${string}.png`, fullPage: true });
  // Live looks: sent with record: false, so the run lists no check.
  expect(checks.length).toBeGreaterThan(1);
  expect(checks.every((b) => JSON.parse(b).record === false)).toBe(true);
  expect((await http.get(`/lab/runs/${runId}`)).body.checks).toEqual([]);
});

it('keeps the spec (sessionStorage) and the scope (URL) across a reload; a visit can be the scope; the CSP saw nothing to block', async () => {
  await page.reload({ waitUntil: 'load' });
  await stepsRead(['✓ met', '✓ met', '✓ met', '✓ met']);
  expect(page.url()).toBe(`${companion.url}/check?run=${runId}`);
  expect(JSON.parse(await page.$eval('#spec-text', (t) => (t as HTMLTextAreaElement).value))).toEqual(SPEC);
  // One visit: chosen, its id typed, Enter.
  await page.click('input[name=scope][value=visit]');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('scope-visit');
  await page.keyboard.type('check-ann');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => location.search === '?visitId=check-ann');
  await page.waitForFunction(() => document.querySelector('.vl-check-verdict')?.textContent?.includes('visit check-ann, 1 visit'));
  expect(await page.$eval('input[name=scope][value=visit]', (r) => (r as HTMLInputElement).checked)).toBe(true);
  await page.click('#spec-clear');
  await page.waitForFunction(() => !document.querySelector('.vl-checklist'));
  await page.waitForFunction(() => sessionStorage.length === 0, { timeout: 5000 });
  expect(await cspViolations(page)).toEqual([]);
  expect(problems).toEqual([]);
});
