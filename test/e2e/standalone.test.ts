// No extension: a site whose GWE snippet loads GPE.min.js from the companion, with httpEndpoint
// pointing at it, is tracked by the companion alone, but only if the companion allows its origin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchLab, type LabBrowser } from '../helpers/browser';
import { api, removeDir, testCompanion, type TestCompanion } from '../helpers/companion';
import { startShop, type Shop } from './site/shop';

let browser: LabBrowser;
const cleanup: Array<() => Promise<unknown> | unknown> = [];

async function siteWithCompanion(allow: boolean): Promise<{ companion: TestCompanion; shop: Shop }> {
  // The shop needs the companion's URL and the companion the shop's origin: fix the shop's port.
  const probe = await startShop();
  const port = Number(new URL(probe.origin).port);
  await probe.close();
  const companion = await testCompanion({ allowOrigins: allow ? [`http://127.0.0.1:${port}`] : [] });
  const shop = await startShop({ port, companionUrl: companion.url, loader: true });
  cleanup.push(async () => {
    await shop.close();
    await companion.close();
    removeDir(companion.dataDir);
  });
  return { companion, shop };
}

async function visitsOf(companion: TestCompanion): Promise<Array<{ visitId: string }>> {
  const res = await api(companion.url).get('/server/data/visits');
  return res.status === 200 ? res.body : [];
}

beforeAll(async () => {
  browser = await launchLab({ extension: false });
});
afterAll(async () => {
  await browser?.close();
  for (const fn of cleanup) await fn();
});

describe('GPE.min.js served by the companion', () => {
  it('is small: under 4 KB gzipped', async () => {
    const { companion } = await siteWithCompanion(true);
    const res = await fetch(`${companion.url}/server/resources/js/build/GPE.min.js`);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    const { gzipSync } = await import('node:zlib');
    expect(gzipSync(Buffer.from(await res.arrayBuffer()), { level: 9 }).length).toBeLessThan(4096);
  });

  it('tracks an allowed site with no extension: pages, SignIn, PageExited (sent with sendBeacon)', async () => {
    const { companion, shop } = await siteWithCompanion(true);
    const page = await browser.browser.newPage();
    await page.goto(shop.url('/'), { waitUntil: 'load' });
    await page.goto(shop.url('/login'), { waitUntil: 'load' });
    await page.type('#email', 'cy@shop.test');
    await page.type('#password', 'pw');
    await Promise.all([page.waitForNavigation(), page.click('#sign-in')]);
    await page.waitForFunction(() => Boolean((window as unknown as { _gt?: Record<string, unknown> })._gt?.__visitorLab));
    const ids = await page.evaluate(
      () => new Promise<{ visitID: string }>((r) => (window as unknown as { _gt: unknown[] })._gt.push(['getIDs', r])),
    );
    const a = api(companion.url);
    await expect
      .poll(async () => (await a.get(`/server/data/visits/${ids.visitID}`)).body?.visitorState, { timeout: 10_000 })
      .toBe('Authenticated');
    await page.close();
    await expect
      .poll(async () => {
        const { body } = await a.get(`/server/data/visits/${ids.visitID}/events`);
        return Array.isArray(body) ? body.map((e: { eventName: string }) => e.eventName).sort() : [];
      }, { timeout: 10_000 })
      .toEqual(['PageEntered', 'PageEntered', 'PageEntered', 'PageExited', 'PageExited', 'PageExited', 'SignIn', 'VisitStarted']);
    const { body: identity } = await a.get('/server/data/identities/cy%40shop.test');
    expect(identity[0]).toMatchObject({ identityId: 'cy@shop.test', visitScope: 'Authenticated' });
  });

  it('a site the companion was not told to allow cannot post events', async () => {
    const { companion, shop } = await siteWithCompanion(false);
    const page = await browser.browser.newPage();
    const posts: string[] = [];
    page.on('request', (r) => r.url().endsWith('/server/events') && posts.push(r.method()));
    await page.goto(shop.url('/'), { waitUntil: 'load' });
    await page.waitForFunction(() => Boolean((window as unknown as { _gt?: Record<string, unknown> })._gt?.__visitorLab));
    // The tracker tried (and retries a few times)...
    await expect.poll(() => posts.length, { timeout: 10_000 }).toBeGreaterThan(0);
    // ...and the companion refused it: a web origin it was not told about gets 403.
    const direct = await fetch(`${companion.url}/server/events`, { method: 'POST', headers: { origin: shop.origin }, body: '{}' });
    expect(direct.status).toBe(403);
    await new Promise((r) => setTimeout(r, 500));
    expect(await visitsOf(companion)).toEqual([]);
    await page.close();
  });
});
