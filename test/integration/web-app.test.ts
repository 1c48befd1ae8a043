// The companion's web app over real HTTP: its HTML for every route the app has (so a reload or
// a shared link works), its two assets with their types, the strict CSP on all of it, --auth
// asking the browser for credentials, and other sites' pages refused as everywhere else.
import { describe, expect, it } from 'vitest';
import { WEB_APP_CSP } from '../../companion/server/web-app';
import { useCompanion } from '../helpers/use-companion';
import { basic, raw } from '../helpers/http';

const ROUTES = ['/', '/?visitorState=Authenticated&url=%2Fcart', '/visits/v-1', '/visits/no%20such%20visit', '/identities/ann%40shop.test', '/contacts', '/health'];
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

describe('the web app', () => {
  const lab = useCompanion({}, 'all');

  it.each(ROUTES)('GET %s answers the app shell with the CSP', async (p) => {
    const res = await fetch(lab.companion.url + p);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(CSP);
    expect(WEB_APP_CSP).toBe(CSP);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const html = await res.text();
    expect(html).toContain('<script type="module" src="/app/app.js"></script>');
    expect(html).toContain('<link rel="stylesheet" href="/app/app.css">');
    // No inline script or style: the CSP would refuse them.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|style=/);
  });

  it('the visit page\'s HTML preloads the two History reads the app makes first, for that visit only', async () => {
    const preloads = async (p: string) =>
      [...(await (await fetch(lab.companion.url + p)).text()).matchAll(/<link rel="preload" href="([^"]*)" as="fetch" crossorigin="anonymous">/g)].map((m) => m[1]);
    expect(await preloads('/visits/v-1')).toEqual(['/server/data/visits/v-1?include_events_detail=true', '/server/data/visits/v-1/pages?page_size=1000']);
    expect(await preloads('/visits/ann%40shop.test%20x')).toEqual([
      '/server/data/visits/ann%40shop.test%20x?include_events_detail=true',
      '/server/data/visits/ann%40shop.test%20x/pages?page_size=1000',
    ]);
    // An id cannot break out of the attribute: it is a URL component again.
    const hostile = await (await fetch(`${lab.companion.url}/visits/${encodeURIComponent('"><script>alert(1)</script>')}`)).text();
    expect(hostile).not.toContain('<script>alert');
    expect(hostile).toContain('/server/data/visits/%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E?include_events_detail=true');
    for (const p of ['/', '/identities/x', '/contacts', '/health']) expect(await preloads(p)).toEqual([]);
  });

  it.each([
    ['/app/app.js', 'text/javascript; charset=utf-8'],
    ['/app/app.css', 'text/css; charset=utf-8'],
  ])('GET %s is served as %s, with the CSP and nosniff', async (p, type) => {
    const res = await fetch(lab.companion.url + p);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(type);
    expect(res.headers.get('content-security-policy')).toBe(CSP);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect((await res.text()).length).toBeGreaterThan(100);
  });

  it('the JS is Preact and the app, small (under 40 KB gzipped)', async () => {
    const res = await fetch(`${lab.companion.url}/app/app.js`);
    const { gzipSync } = await import('node:zlib');
    const body = Buffer.from(await res.arrayBuffer());
    expect(gzipSync(body, { level: 9 }).length).toBeLessThan(40 * 1024);
    // No zod or node code bundled by a stray value import of protocol/ or companion/.
    expect(body.toString()).not.toMatch(/node:|ZodError/);
  });

  it('the check and runs pages are chunks loaded on demand: not in what every page loads, served like the app', async () => {
    const app = await (await fetch(`${lab.companion.url}/app/app.js`)).text();
    const first = new Set<string>();
    const all = new Set<string>();
    const read = async (code: string, into: Set<string>) => {
      for (const [name] of code.matchAll(/chunk-[A-Z0-9]{8}\.js/g)) {
        if (into.has(name)) continue;
        into.add(name);
        const res = await fetch(`${lab.companion.url}/app/${name}`);
        expect({ name, status: res.status, type: res.headers.get('content-type') }).toEqual({ name, status: 200, type: 'text/javascript; charset=utf-8' });
        expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
        const body = await res.text();
        // Static imports (from"./chunk-…") load with the page; import("./chunk-…") when opened.
        if (into === first && !new RegExp(`from"\\./${name.replace('.', '\\.')}"`).test(code)) into.delete(name);
        else await read(body, into);
      }
    };
    await read(app, all);
    await read(app, first);
    const firstCode = [app, ...(await Promise.all([...first].map(async (n) => (await fetch(`${lab.companion.url}/app/${n}`)).text())))].join('');
    const allCode = [app, ...(await Promise.all([...all].map(async (n) => (await fetch(`${lab.companion.url}/app/${n}`)).text())))].join('');
    const parserText = 'a count step needs the event name it counts';
    expect(allCode).toContain(parserText);
    expect(firstCode).not.toContain(parserText);
    expect((await fetch(`${lab.companion.url}/app/chunk-NOTTHERE.js`)).status).toBe(404);
  });

  it('paths that are not the app\'s stay 404 JSON', async () => {
    for (const p of ['/visits', '/visits/a/b', '/app/other.js', '/identities']) {
      const res = await fetch(lab.companion.url + p);
      expect({ p, status: res.status }).toEqual({ p, status: 404 });
      expect((await res.json()).error).toBe('not_found');
    }
  });

  it('another site\'s page gets the one cross-site refusal, not the app', async () => {
    for (const p of ['/', '/visits/v-1', '/app/app.js', '/app/app.css']) {
      const res = await raw(lab.companion.port, 'GET', p, { host: `127.0.0.1:${lab.companion.port}`, 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' });
      expect({ p, status: res.status, body: res.body }).toMatchObject({ p, status: 403, body: { error: 'forbidden_site', field: 'Sec-Fetch-Site' } });
    }
    const withOrigin = await raw(lab.companion.port, 'GET', '/app/app.js', { host: `127.0.0.1:${lab.companion.port}`, origin: 'http://evil.test', 'sec-fetch-site': 'cross-site' });
    expect(withOrigin.status).toBe(403);
    expect(withOrigin.body.error).toBe('forbidden_origin');
    expect(withOrigin.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('a rebound DNS name gets forbidden_host, even posing as the page\'s own origin', async () => {
    const res = await raw(lab.companion.port, 'POST', '/lab/reset', { host: `rebind.test:${lab.companion.port}`, origin: `http://rebind.test:${lab.companion.port}`, 'sec-fetch-site': 'same-origin' });
    expect(res.status).toBe(403);
    expect(res.body.error).toBe('forbidden_host');
  });

  it('the app\'s own page may POST (Origin its own, same-origin); another port of 127.0.0.1 may not', async () => {
    const host = `127.0.0.1:${lab.companion.port}`;
    const own = await raw(lab.companion.port, 'POST', '/lab/contacts', { host, origin: `http://${host}`, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' }, '{"email":"own@shop.test"}');
    expect(own.status).toBe(201);
    const other = await raw(lab.companion.port, 'POST', '/lab/contacts', { host, origin: 'http://127.0.0.1:8080', 'sec-fetch-site': 'same-site', 'content-type': 'application/json' }, '{"email":"other@shop.test"}');
    expect(other.status).toBe(403);
    // The Origin alone, without the browser's same-origin mark, is not enough.
    const forged = await raw(lab.companion.port, 'POST', '/lab/contacts', { host, origin: `http://${host}`, 'content-type': 'application/json' }, '{"email":"forged@shop.test"}');
    expect(forged.status).toBe(403);
  });
});

describe('the web app under --auth', () => {
  const lab = useCompanion({ auth: 'tess:secret' }, 'all');

  it.each(['/', '/visits/v-1', '/identities/x', '/contacts', '/health', '/app/app.js', '/app/app.css', '/lab/visits', '/lab/changes'])(
    'GET %s without credentials: 401 with WWW-Authenticate (the browser asks for them)',
    async (p) => {
      const res = await fetch(lab.companion.url + p);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Basic realm="Visitor Lab", charset="UTF-8"');
      expect((await res.json()).error).toBe('unauthorized');
    },
  );

  it('with them, the app is served', async () => {
    for (const p of ['/', '/app/app.js', '/lab/visits', '/lab/changes']) {
      const res = await fetch(lab.companion.url + p, { headers: basic('tess:secret') });
      expect({ p, status: res.status }).toEqual({ p, status: 200 });
    }
    const wrong = await fetch(`${lab.companion.url}/`, { headers: basic('tess:nope') });
    expect(wrong.status).toBe(401);
  });
});
