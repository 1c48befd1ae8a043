// The companion's locked-down promises, checked from real web pages in real chromium (what a
// page can do, not what a hand-made request can): a page elsewhere can neither read History or
// lab data nor change anything; a page reached through a rebound DNS name is refused by the Host
// check; an origin allowed with --allow-origin may post events but still reads nothing; no
// element or API that loads a URL tells a page a known id from an unknown one (extensions:
// extensions.test.ts). The pages live at ordinary-looking origins (http://evil.test:<port>, ...)
// that chromium resolves to this machine.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchLab, type LabBrowser } from '../helpers/browser';
import { api, removeDir, testCompanion, type TestCompanion } from '../helpers/companion';
import { pageEntered, signIn, visitCtx, visitStarted } from '../helpers/events';
import { answered, CORS_ERROR, network, pageFetch, UNREADABLE, type Outcome, type Seen } from './page-tools';
import { probe, PROBE_KINDS } from './probes';

const SEED_VISIT = 'sec-seed-visit';
const SEED_EMAIL = 'ann@shop.test';
/** The History and lab reads a page must not get at. */
const READS = ['/server/data/visits', `/server/data/visits/${SEED_VISIT}/events`, '/server/data/identities', '/lab/health', '/lab/contacts'];

let companion: TestCompanion;
let site: Server;
let sitePort: number;
let browser: LabBrowser;
/** Any origin other than the allowed one: a web page the user happens to have open. */
let evilOrigin: string;
/** The origin the companion was started with --allow-origin for. */
let allowedOrigin: string;

/** One valid event of a visit of its own, as JSON: what a forged intake request carries. */
const forgedEvent = (visitId: string) => JSON.stringify([visitStarted(visitCtx(visitId))]);

interface Snapshot {
  counts: Record<string, number>;
  visits: string[];
}

/** What the companion holds, asked from Node (no Origin, loopback Host). */
async function snapshot(): Promise<Snapshot> {
  const a = api(companion.url);
  const health = await a.get('/lab/health');
  const visits = await a.get('/server/data/visits');
  expect(health.status).toBe(200);
  expect(visits.status).toBe(200);
  return { counts: health.body.counts, visits: visits.body.map((v: { visitId: string }) => v.visitId).sort() };
}

async function openAt(origin: string): Promise<{ page: Page; seen: Seen }> {
  const page = await browser.browser.newPage();
  const seen = await network(page);
  const res = await page.goto(`${origin}/`, { waitUntil: 'load' });
  expect(res?.status()).toBe(200);
  expect(await page.evaluate(() => location.origin)).toBe(origin);
  return { page, seen };
}

beforeAll(async () => {
  // Any path, any Host: a blank page, so the test only depends on the page's origin.
  site = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end('<!doctype html><title>some site</title><p>some site</p>');
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  sitePort = (site.address() as AddressInfo).port;
  evilOrigin = `http://evil.test:${sitePort}`;
  allowedOrigin = `http://shop.test:${sitePort}`;
  companion = await testCompanion({ allowOrigins: [allowedOrigin] });
  const c = visitCtx(SEED_VISIT);
  const seeded = await api(companion.url).post('/server/events', [visitStarted(c), pageEntered(c, 'p1'), signIn(c, { email: SEED_EMAIL, location: 'Paris' })]);
  expect(seeded.body.accepted).toBe(3);
  // No extension: a web page's own powers only.
  browser = await launchLab({ extension: false, args: ['--host-resolver-rules=MAP *.test 127.0.0.1'] });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => site?.close(resolve));
  await companion?.close();
  if (companion) removeDir(companion.dataDir);
});

describe('a web page on an ordinary origin', () => {
  it('cannot read History or lab data: CORS fetches fail (the companion said 403), no-cors ones are unreadable', async () => {
    const { page, seen } = await openAt(evilOrigin);
    const start = await snapshot();
    expect(start.visits).toContain(SEED_VISIT);
    expect(start.counts.identities).toBe(1);
    for (const p of READS) {
      const url = companion.url + p;
      expect(await pageFetch(page, url), p).toEqual(CORS_ERROR);
      await answered(seen, 'GET', url, [403]);
      // Without CORS the page gets an opaque, empty response (or a network error): nothing to read.
      expect(UNREADABLE, p).toContainEqual(await pageFetch(page, url, { mode: 'no-cors' }));
      expect(UNREADABLE, p).toContainEqual(await pageFetch(page, url, { mode: 'no-cors', credentials: 'include' }));
    }
    await page.close();
  });

  it('changes nothing with state-changing requests: no-cors POSTs, preflighted POSTs, a beacon, a form', async () => {
    const { page, seen } = await openAt(evilOrigin);
    const before = await snapshot();
    const C = companion.url;
    const plain = { 'content-type': 'text/plain' };
    const json = { 'content-type': 'application/json' };

    // "Simple" requests need no preflight: the browser sends them, the companion must refuse them.
    expect(UNREADABLE).toContainEqual(await pageFetch(page, `${C}/lab/reset`, { method: 'POST', mode: 'no-cors', headers: plain, body: '' }));
    await answered(seen, 'POST', `${C}/lab/reset`, [403]);
    const made = JSON.stringify({ visitId: 'sec-csrf-made' });
    expect(UNREADABLE).toContainEqual(await pageFetch(page, `${C}/server/data/visits`, { method: 'POST', mode: 'no-cors', headers: plain, body: made }));
    await answered(seen, 'POST', `${C}/server/data/visits`, [403]);
    const contact = JSON.stringify({ contactId: 'sec-csrf-contact', email: 'x@evil.test' });
    expect(UNREADABLE).toContainEqual(await pageFetch(page, `${C}/lab/contacts`, { method: 'POST', mode: 'no-cors', headers: plain, body: contact }));
    await answered(seen, 'POST', `${C}/lab/contacts`, [403]);
    expect(UNREADABLE).toContainEqual(
      await pageFetch(page, `${C}/server/events`, { method: 'POST', mode: 'no-cors', headers: plain, body: forgedEvent('sec-csrf-nocors') }),
    );
    await answered(seen, 'POST', `${C}/server/events`, [403]);

    // JSON requests are preflighted: the preflight is refused, so the POST is never sent.
    expect(await pageFetch(page, `${C}/server/data/visits`, { method: 'POST', headers: json, body: made })).toEqual(CORS_ERROR);
    expect(await pageFetch(page, `${C}/server/events`, { method: 'POST', headers: json, body: forgedEvent('sec-csrf-cors') })).toEqual(CORS_ERROR);
    await answered(seen, 'OPTIONS', `${C}/server/data/visits`, [403]);
    await answered(seen, 'OPTIONS', `${C}/server/events`, [403]);
    await answered(seen, 'POST', `${C}/server/data/visits`, [403]); // only the no-cors one above
    await answered(seen, 'POST', `${C}/server/events`, [403]);

    // sendBeacon (how the tracker sends PageExited) is a credentialed no-cors POST.
    expect(await page.evaluate((u, b) => navigator.sendBeacon(u, b), `${C}/server/events`, forgedEvent('sec-csrf-beacon'))).toBe(true);
    await answered(seen, 'POST', `${C}/server/events`, [403, 403]);

    // A classic CSRF form: a top-level POST navigation to /lab/reset.
    const [formAnswer] = await Promise.all([
      page.waitForNavigation(),
      page.evaluate((action) => {
        const form = document.createElement('form');
        form.method = 'POST';
        form.action = action;
        form.enctype = 'text/plain';
        const input = document.createElement('input');
        input.name = 'x';
        input.value = 'y';
        form.append(input);
        document.body.append(form);
        // After this evaluate returns: the navigation would otherwise destroy its context.
        setTimeout(() => form.submit());
      }, `${C}/lab/reset`),
    ]);
    expect(formAnswer?.status()).toBe(403);
    expect(JSON.parse(await formAnswer!.text())).toMatchObject({ error: 'forbidden_origin', field: 'Origin' });

    expect(await snapshot()).toEqual(before);
    expect((await api(C).get('/server/data/visits/sec-csrf-made')).status).toBe(404);
    expect((await api(C).get('/lab/contacts/sec-csrf-contact')).status).toBe(404);
    await page.close();

    // Control: the same bodies, sent without an Origin, are ones the companion takes.
    const control = await testCompanion();
    try {
      const a = api(control.url);
      expect((await a.post('/server/data/visits', made, plain)).status).toBe(201);
      expect((await a.post('/lab/contacts', contact, plain)).status).toBe(201);
      expect((await a.post('/server/events', forgedEvent('sec-control'), plain)).status).toBe(200);
      expect((await a.post('/lab/reset', '', plain)).status).toBe(200);
    } finally {
      await control.close();
      removeDir(control.dataDir);
    }
  });

  // <object>, <embed>, frames and windows load a URL whatever CORP says, and a page sees whether
  // that loaded, failed or did nothing (a 204 leaves a frame or window about:blank, its own):
  // a 200, a 404 and a 204 must never reach it. The companion answers every one of these loads
  // the same 403 (fetch metadata: Sec-Fetch-Site cross-site), so each pair looks the same.
  it('cannot tell a known id from an unknown one by loading it, whatever element or API it uses', async () => {
    const { page, seen } = await openAt(evilOrigin);
    const C = companion.url;
    const pairs: Array<[string, string]> = [
      [`/server/data/visits/${SEED_VISIT}`, '/server/data/visits/sec-no-such-visit'], // 200 / 404 to curl
      [`/server/data/identities/${encodeURIComponent(SEED_EMAIL)}`, `/server/data/identities/${encodeURIComponent('bob@shop.test')}`],
      ['/server/data/identities?location=Par', '/server/data/identities?location=Zanzibar'], // 200 / 204
    ];
    const curl = api(C);
    expect([(await curl.get(pairs[0][0])).status, (await curl.get(pairs[0][1])).status]).toEqual([200, 404]);
    expect([(await curl.get(pairs[2][0])).status, (await curl.get(pairs[2][1])).status]).toEqual([200, 204]);

    const oracle: string[] = [];
    const outcomes: string[] = [];
    for (const kind of PROBE_KINDS) {
      for (const [known, unknown] of pairs) {
        const a = await probe(page, kind, C + known);
        const b = await probe(page, kind, C + unknown);
        outcomes.push(`${kind}: ${a}`);
        if (a !== b) oracle.push(`${kind}: ${known} -> ${a}; ${unknown} -> ${b}`);
      }
    }
    expect(oracle, 'the page can tell known from unknown').toEqual([]);
    expect(outcomes.find((o) => o.startsWith('window-open'))).toMatch(/^window-open: opened foreign/);

    // And the companion itself refused each load that reached it: nothing but 403.
    const answers = pairs.flat().flatMap((p) => [...seen('GET', C + p), ...seen('POST', C + p)]);
    expect(answers.length).toBeGreaterThan(pairs.length * 2 * 10);
    expect(new Set(answers)).toEqual(new Set([403]));
    await page.close();
  });

  // The control: the same probes on the public resources (which stay open to every site) do
  // tell a 200 from a 404, so the probes above would have seen a difference had there been one.
  it('the probes are sharp: on the public resources an <object> tells 200 from 404', async () => {
    const { page } = await openAt(evilOrigin);
    const C = companion.url;
    const found = await probe(page, 'object', `${C}/server/resources/dsl/domain-model.xml`);
    const missing = await probe(page, 'object', `${C}/server/resources/dsl/nothing.xml`);
    expect(found).not.toBe(missing);
    await page.close();
  });
});

describe('DNS rebinding: a page whose origin is the companion\'s host:port under another name', () => {
  it('is refused on History, lab and intake because the Host is not a loopback name', async () => {
    const page = await browser.browser.newPage();
    const rebound = `http://rebind.test:${companion.port}`;
    // Navigating there shows the companion's 403, not the data.
    const nav = await page.goto(`${rebound}/server/data/visits`, { waitUntil: 'load' });
    expect(nav?.status()).toBe(403);
    expect(JSON.parse(await nav!.text())).toMatchObject({ error: 'forbidden_host', field: 'Host' });

    // That document stands for the attacker's page after rebinding: its origin is the
    // companion's, so its requests are same-origin (no CORS to stop them) and reach the companion
    // with Host rebind.test. (A page served by request interception instead would have no address,
    // count as public, and chromium's Local Network Access would block its requests to loopback
    // before the companion saw them: InsecureLocalNetwork.)
    expect(await page.evaluate(() => location.origin)).toBe(rebound);
    const before = await snapshot();
    const refused = (o: Outcome) => ('status' in o ? { status: o.status, error: JSON.parse(o.body).error } : o);
    for (const p of READS) {
      expect(refused(await pageFetch(page, p)), p).toEqual({ status: 403, error: 'forbidden_host' });
    }
    const writes: Array<[string, string, Record<string, string>]> = [
      ['/lab/reset', '', { 'content-type': 'text/plain' }],
      ['/server/data/visits', JSON.stringify({ visitId: 'sec-rebind-made' }), { 'content-type': 'application/json' }],
      ['/server/events', forgedEvent('sec-rebind-visit'), { 'content-type': 'application/json' }],
    ];
    for (const [p, body, headers] of writes) {
      expect(refused(await pageFetch(page, p, { method: 'POST', headers, body })), p).toEqual({ status: 403, error: 'forbidden_host' });
    }
    expect(await snapshot()).toEqual(before);

    // The contrast: the same navigation by a loopback name (the user opening it) is served.
    const own = await page.goto(`${companion.url}/server/data/visits`, { waitUntil: 'load' });
    expect(own?.status()).toBe(200);
    expect(JSON.parse(await own!.text()).map((v: { visitId: string }) => v.visitId)).toContain(SEED_VISIT);
    await page.close();
  });
});

describe('an origin allowed with --allow-origin', () => {
  it('may post events but still cannot read History or lab data, nor reset', async () => {
    const { page, seen } = await openAt(allowedOrigin);
    const before = await snapshot();
    const C = companion.url;
    // The one thing it may do (see standalone.test.ts for the tracker doing it).
    const posted = await pageFetch(page, `${C}/server/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: forgedEvent('sec-allowed-visit'),
    });
    expect(posted).toMatchObject({ type: 'cors', status: 200 });
    expect(JSON.parse((posted as { body: string }).body).accepted).toBe(1);

    for (const p of READS) {
      expect(await pageFetch(page, C + p), p).toEqual(CORS_ERROR);
      await answered(seen, 'GET', C + p, [403]);
      expect(UNREADABLE, p).toContainEqual(await pageFetch(page, C + p, { mode: 'no-cors' }));
    }
    expect(UNREADABLE).toContainEqual(await pageFetch(page, `${C}/lab/reset`, { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: '' }));
    await answered(seen, 'POST', `${C}/lab/reset`, [403]);
    expect(
      await pageFetch(page, `${C}/server/data/visits`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ visitId: 'sec-allowed-made' }),
      }),
    ).toEqual(CORS_ERROR);
    await answered(seen, 'OPTIONS', `${C}/server/data/visits`, [403]);

    const after = await snapshot();
    expect(after.visits).toEqual([...before.visits, 'sec-allowed-visit'].sort());
    expect(after.counts.events).toBe(before.counts.events + 1);
    await page.close();
  });
});
