// Requests a browser makes for another site's page (Sec-Fetch-Site cross-site or same-site),
// forged here over real HTTP: every one that is not for the public resources gets one answer,
// the same status, body and headers whatever it asks (a known id, an unknown one, a substring
// search, a 204 collection, no such route, a reset). Without fetch metadata (curl, node, older
// browsers), and for the user's own requests (`none`) or the companion's own pages, nothing
// changes. test/e2e/security.test.ts shows the same from real pages in chromium.
import { describe, expect, it } from 'vitest';
import { EXTENSION_ID } from '../../companion/server/extension-id';
import { useCompanion } from '../helpers/use-companion';
import { pageEntered, signIn, visitCtx, visitStarted } from '../helpers/events';
import { JSON_TYPE, raw, type RawAnswer } from '../helpers/http';

const KNOWN_VISIT = 'fm-known-visit';
const EMAIL = 'ann@shop.test';

/** Pairs that answer differently to curl: what a page must not learn. */
const PROBES: Array<[string, string]> = [
  ['GET', `/server/data/visits/${KNOWN_VISIT}`],
  ['GET', '/server/data/visits/fm-no-such-visit'],
  ['GET', `/server/data/visits/${KNOWN_VISIT}/events`],
  ['GET', '/server/data/visits/fm-no-such-visit/events'],
  ['GET', `/server/data/identities/${encodeURIComponent(EMAIL)}`],
  ['GET', `/server/data/identities/${encodeURIComponent('bob@shop.test')}`],
  ['GET', '/server/data/identities?location=Par'],
  ['GET', '/server/data/identities?location=Zanzibar'],
  ['GET', '/server/data/identities?nonsense=1'],
  ['HEAD', `/server/data/visits/${KNOWN_VISIT}`],
  ['HEAD', '/server/data/visits/fm-no-such-visit'],
  ['GET', '/server/data/visits'],
  ['GET', '/lab/health'],
  ['GET', '/lab/contacts'],
  ['GET', '/lab/contacts/nobody'],
  ['GET', '/server/events'],
  ['GET', '/nope'],
  ['POST', '/lab/reset'],
  ['POST', '/server/data/visits'],
];

/** Sec-Fetch-Mode and Sec-Fetch-Dest of each way a page can load a URL. */
const LOADS: Array<[string, string]> = [
  ['navigate', 'document'], // a link, window.open, a form
  ['navigate', 'iframe'],
  ['no-cors', 'object'],
  ['no-cors', 'embed'],
  ['no-cors', 'image'],
  ['no-cors', 'script'],
  ['no-cors', 'style'],
  ['no-cors', 'video'],
  ['no-cors', 'audio'],
  ['cors', 'track'],
  ['no-cors', 'empty'], // fetch no-cors, sendBeacon
  ['cors', 'empty'],
];

/** Headers that differ between any two answers for reasons no page can use. */
const PER_CONNECTION = new Set(['date', 'connection', 'keep-alive']);
const comparable = (a: RawAnswer) => ({
  status: a.status,
  body: a.body,
  headers: Object.fromEntries(Object.entries(a.headers).filter(([k]) => !PER_CONNECTION.has(k))),
});

describe('fetch metadata: one answer to another site\'s page', () => {
  const lab = useCompanion({ allowOrigins: ['http://shop.test:8080'] }, 'all');
  const send = (method: string, p: string, headers: Record<string, string> = {}) =>
    raw(lab.companion.port, method, p, { host: `127.0.0.1:${lab.companion.port}`, ...headers }, method === 'POST' ? '{"visitId":"fm-made"}' : undefined);

  it('seeds a visit with an identity in Paris', async () => {
    const c = visitCtx(KNOWN_VISIT);
    const seeded = await lab.http.post('/server/events', [visitStarted(c), pageEntered(c, 'p1'), signIn(c, { email: EMAIL, location: 'Paris' })]);
    expect(seeded.body.accepted).toBe(3);
  });

  it('without fetch metadata (curl, node) the answers differ: what would be the oracle', async () => {
    const status = async (p: string) => (await send('GET', p)).status;
    expect(await status(`/server/data/visits/${KNOWN_VISIT}`)).toBe(200);
    expect(await status('/server/data/visits/fm-no-such-visit')).toBe(404);
    expect(await status('/server/data/identities?location=Par')).toBe(200);
    expect(await status('/server/data/identities?location=Zanzibar')).toBe(204);
  });

  it.each(['cross-site', 'same-site', 'something-new'])('Sec-Fetch-Site %s: the same 403 for every route, id, query, mode and destination', async (site) => {
    const answers: Array<[string, ReturnType<typeof comparable>]> = [];
    for (const [mode, dest] of LOADS) {
      for (const [method, p] of PROBES) {
        const a = await send(method, p, { 'sec-fetch-site': site, 'sec-fetch-mode': mode, 'sec-fetch-dest': dest });
        answers.push([`${method} ${p} (${mode} ${dest})`, comparable(a)]);
      }
    }
    const [, first] = answers[0];
    expect(first.status).toBe(403);
    expect(first.headers['content-type']).toBe(JSON_TYPE);
    expect(first.body).toMatchObject({ error: 'forbidden_site', field: 'Sec-Fetch-Site' });
    for (const [what, a] of answers) {
      // HEAD has no body; its headers are still the GET's.
      expect(a, what).toEqual(what.startsWith('HEAD') ? { ...first, body: null } : first);
    }
    // A refused reset and a refused POST changed nothing.
    const health = await send('GET', '/lab/health');
    expect(health.body.counts.events).toBe(3);
    expect((await send('GET', '/server/data/visits/fm-made')).status).toBe(404);
  });

  it.each(['none', 'same-origin'])('Sec-Fetch-Site %s (the user\'s own address bar, the companion\'s own page) is served', async (site) => {
    const h = { 'sec-fetch-site': site, 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' };
    expect((await send('GET', `/server/data/visits/${KNOWN_VISIT}`, h)).status).toBe(200);
    expect((await send('GET', '/server/data/visits/fm-no-such-visit', h)).status).toBe(404);
    expect((await send('GET', '/lab/health', h)).body.status).toBe('ok');
  });

  it('leaves the public resources to any site', async () => {
    const h = { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'script' };
    const tracker = await send('GET', '/server/resources/dsl/domain-model.xml', h);
    expect(tracker.status).toBe(200);
    expect(tracker.headers['cross-origin-resource-policy']).toBeUndefined();
  });

  it('still takes intake from an --allow-origin page and Visitor Lab\'s extension, sent cross-site', async () => {
    for (const origin of ['http://shop.test:8080', `chrome-extension://${EXTENSION_ID}`]) {
      const c = visitCtx(`fm-intake-${origin.length}`);
      const res = await raw(
        lab.companion.port,
        'POST',
        '/server/events',
        { host: `127.0.0.1:${lab.companion.port}`, origin, 'content-type': 'text/plain', 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'empty' },
        JSON.stringify([visitStarted(c)]),
      );
      expect(res.status, origin).toBe(200);
      expect(res.body.accepted, origin).toBe(1);
    }
  });
});
