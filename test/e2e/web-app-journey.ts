// The e2e tests' journey and page helpers for the companion's web app (test/e2e/web-app.test.ts).
import type { Page } from 'puppeteer';
import { expect } from 'vitest';
import type { StoredEvent } from '../../protocol/events';
import type { Api } from '../helpers/companion';
import { ev, pageEntered, pageExited, signIn, signOut, userInfo, visitCtx, visitStarted } from '../helpers/events';

export const EMAIL = 'ann@shop.test';

/** Records every CSP violation (read with cspViolations) and console error (into `problems`) of the page. */
export async function watchPage(page: Page, problems: string[]): Promise<Page> {
  await page.setViewport({ width: 1280, height: 800 });
  await page.evaluateOnNewDocument(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      ((window as unknown as { __csp: string[] }).__csp ??= []).push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  page.on('console', (m) => {
    if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(`${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`${page.url()}: ${(e as Error).message}`));
  return page;
}

export const cspViolations = (page: Page) => page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []);

export async function historyEvents(http: Api, visitId: string): Promise<StoredEvent[]> {
  const res = await http.get(`/server/data/visits/${visitId}/events?page_size=1000`);
  return res.body;
}

/** The Lab Shop journey: ann browses, signs in, adds to cart, signs out; comes back remembered. Bob browses. */
export async function postJourney(http: Api): Promise<void> {
  const t0 = Date.now() - 3 * 3600_000;
  const a = visitCtx('wa-ann-1', 'g-wa-ann', t0);
  const first = [visitStarted(a, { pageID: 'p1', url: 'http://shop.test/' }), pageEntered(a, 'p1', 'http://shop.test/', 'Lab Shop'), pageEntered(a, 'p2', 'http://shop.test/products/sku-1', 'Blue mug')];
  first.push(ev(a, 'AddToCart', { pageID: 'p2', category: 'cart', data: { sku: 'sku-1' } }), pageEntered(a, 'p3', 'http://shop.test/login', 'Sign in'));
  a.sessionID = 'wa-s1';
  first.push(signIn(a, { email: EMAIL, firstName: 'Ann' }, 'p3'), pageEntered(a, 'p4', 'http://shop.test/account', 'Your account'), signOut(a, 'p4'));
  delete a.sessionID;
  first.push(pageExited(a, 'p4'));
  const b = visitCtx('wa-ann-2', 'g-wa-ann', t0 + 3600_000);
  const second = [visitStarted(b, { pageID: 'p1' }), pageEntered(b, 'p1', 'http://shop.test/', 'Lab Shop'), userInfo(b, EMAIL, 'p1')];
  const c = visitCtx('wa-bob', 'g-wa-bob', t0 + 2 * 3600_000);
  const third = [visitStarted(c, { pageID: 'p1' }), pageEntered(c, 'p1', 'http://shop.test/', 'Lab Shop'), pageEntered(c, 'p2', 'http://shop.test/cart', 'Cart')];
  const res = await http.post('/server/events', [...first, ...second, ...third]);
  expect(res.body.rejected).toBe(0);
}

/** The visits list's rows: id and state as written. */
export async function listedVisits(page: Page): Promise<Array<{ id: string; state: string }>> {
  return page.$$eval('table.visits tbody tr', (rows) =>
    rows.map((r) => ({ id: r.getAttribute('data-visit-id')!, state: (r.querySelector('.state')?.textContent ?? '').replace(/^\W+/, '').trim() })),
  );
}
