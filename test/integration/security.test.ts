// What keeps visitor data on this machine: --auth on the History and lab APIs, the Host check
// against DNS rebinding, intake CORS limited to allowed origins and our extension, no CORS on reads,
// and JSON 404s for unknown routes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTENSION_ID } from '../../companion/server/extension-id';
import { api, removeDir, testCompanion, type TestCompanion } from '../helpers/companion';
import { useCompanion } from '../helpers/use-companion';
import { ev, pageEntered, visitCtx, visitStarted } from '../helpers/events';
import { basic, JSON_TYPE, raw } from '../helpers/http';

describe('--auth user:pass', () => {
  const lab = useCompanion({ auth: 'lab:s3cret' }, 'all');

  const protectedRequests: [string, string][] = [
    ['GET', '/server/data/visits'],
    ['GET', '/server/data/identities'],
    ['GET', '/server/data/visits/auth-visit'],
    ['GET', '/server/data/visits/auth-visit/events'],
    ['POST', '/server/data/visits'],
    ['GET', '/lab/health'],
    ['GET', '/lab/contacts'],
    ['POST', '/lab/contacts'],
    ['POST', '/lab/reset'],
  ];

  it('keeps intake open without credentials', async () => {
    const c = visitCtx('auth-visit');
    const res = await lab.http.post('/server/events', [visitStarted(c), pageEntered(c, 'p1')]);
    expect(res.status).toBe(200);
    expect(res.body.accepted).toBe(2);
  });

  it.each(protectedRequests)('%s %s without credentials -> 401 JSON', async (method, p) => {
    const res = method === 'GET' ? await lab.http.get(p) : await lab.http.post(p, { email: 'x@shop.test' });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toBe(JSON_TYPE);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    expect(res.body.error).toBe('unauthorized');
  });

  it.each([
    ['wrong password', basic('lab:wrong')],
    ['wrong user', basic('bal:s3cret')],
    ['password with a suffix', basic('lab:s3cret2')],
    ['no password', basic('lab')],
    ['not Basic', { authorization: 'Bearer lab:s3cret' }],
    ['unencoded', { authorization: 'Basic lab:s3cret' }],
  ])('wrong credentials (%s) -> 401 on History and lab', async (_name, headers) => {
    for (const p of ['/server/data/visits', '/lab/health']) {
      const res = await lab.http.get(p, headers);
      expect(res.status, p).toBe(401);
      expect(res.body.error, p).toBe('unauthorized');
    }
    const reset = await lab.http.post('/lab/reset', undefined, headers);
    expect(reset.status).toBe(401);
  });

  it('the right credentials open the History and lab APIs (and a refused reset changed nothing)', async () => {
    const auth = basic('lab:s3cret');
    const visits = await lab.http.get('/server/data/visits', auth);
    expect(visits.status).toBe(200);
    expect(visits.body.map((v: any) => v.visitId)).toEqual(['auth-visit']);
    const events = await lab.http.get('/server/data/visits/auth-visit/events', auth);
    expect(events.status).toBe(200);
    expect(events.body).toHaveLength(2);
    const health = await lab.http.get('/lab/health', auth);
    expect(health.status).toBe(200);
    expect(health.body.counts.events).toBe(2);
    expect((await lab.http.get('/lab/contacts', auth)).status).toBe(200);
  });
});

describe('Host check (DNS rebinding)', () => {
  const lab = useCompanion({}, 'all');

  it.each(['evil.test', 'localhost.evil.test', '127.0.0.1.evil.test', '10.0.0.1', 'shop.test', '0.0.0.0'])(
    'Host "%s" -> 403 JSON on History, lab and intake, storing nothing',
    async (hostname) => {
      const host = `${hostname}:${lab.companion.port}`;
      const history = await raw(lab.companion.port, 'GET', '/server/data/visits', { host });
      expect(history.status).toBe(403);
      expect(history.headers['content-type']).toBe(JSON_TYPE);
      expect(history.body.error).toBe('forbidden_host');
      expect(history.body.field).toBe('Host');
      expect((await raw(lab.companion.port, 'GET', '/lab/health', { host })).status).toBe(403);
      const c = visitCtx(`host-${hostname}`);
      const intake = await raw(lab.companion.port, 'POST', '/server/events', { host, 'content-type': 'application/json' }, JSON.stringify(visitStarted(c)));
      expect(intake.status).toBe(403);
      expect((await api(lab.companion.url).get('/lab/health')).body.counts.events).toBe(0);
    },
  );

  it('a request without a Host header is refused and stores nothing', async () => {
    const c = visitCtx('host-missing');
    const res = await raw(lab.companion.port, 'POST', '/server/events', { host: '', 'content-type': 'application/json' }, JSON.stringify(visitStarted(c)));
    // Node's HTTP server itself refuses an HTTP/1.1 request without Host (400) before the app.
    expect([400, 403]).toContain(res.status);
    expect((await api(lab.companion.url).get('/lab/health')).body.counts.events).toBe(0);
  });

  it.each(['localhost', '127.0.0.1', '127.8.9.10', '[::1]', 'LOCALHOST'])('Host "%s" is a loopback name -> served', async (hostname) => {
    const res = await raw(lab.companion.port, 'GET', '/lab/health', { host: `${hostname}:${lab.companion.port}` });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
  });
});

describe('CORS and Origin', () => {
  let open: TestCompanion;
  let shop: TestCompanion;
  beforeAll(async () => {
    open = await testCompanion();
    shop = await testCompanion({ allowOrigins: ['http://shop.test:8080'] });
  });
  afterAll(async () => {
    for (const c of [open, shop]) {
      await c.close();
      removeDir(c.dataDir);
    }
  });

  it('refuses POST /server/events from an arbitrary web origin with 403, storing nothing', async () => {
    for (const companion of [open, shop]) {
      const c = visitCtx('origin-evil');
      const res = await raw(
        companion.port,
        'POST',
        '/server/events',
        { host: `127.0.0.1:${companion.port}`, origin: 'https://evil.test', 'content-type': 'text/plain' },
        JSON.stringify(visitStarted(c)),
      );
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toBe(JSON_TYPE);
      expect(res.body.error).toBe('forbidden_origin');
      expect(res.body.field).toBe('Origin');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect((await api(companion.url).get('/lab/health')).body.counts.events).toBe(0);
    }
  });

  it('refuses the allowed origin\'s look-alikes and a companion without --allow-origin', async () => {
    for (const origin of ['http://shop.test:8081', 'https://shop.test:8080', 'http://shop.test', 'null']) {
      const res = await raw(shop.port, 'OPTIONS', '/server/events', {
        host: `127.0.0.1:${shop.port}`,
        origin,
        'access-control-request-method': 'POST',
      });
      expect(res.status, origin).toBe(403);
      expect(res.headers['access-control-allow-origin'], origin).toBeUndefined();
    }
    const res = await raw(open.port, 'OPTIONS', '/server/events', {
      host: `127.0.0.1:${open.port}`,
      origin: 'http://shop.test:8080',
      'access-control-request-method': 'POST',
    });
    expect(res.status).toBe(403);
  });

  it('answers the allowed origin\'s preflight with 204 and CORS headers, and takes its POST', async () => {
    const pre = await raw(shop.port, 'OPTIONS', '/server/events', {
      host: `127.0.0.1:${shop.port}`,
      origin: 'http://shop.test:8080',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type',
    });
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe('http://shop.test:8080');
    expect(pre.headers['access-control-allow-methods']).toBe('POST');
    expect(pre.headers['access-control-allow-headers']).toBe('Content-Type');
    expect(pre.headers.vary).toBe('Origin');

    const c = visitCtx('origin-shop');
    const post = await raw(
      shop.port,
      'POST',
      '/server/events',
      { host: `127.0.0.1:${shop.port}`, origin: 'http://shop.test:8080', 'content-type': 'application/json' },
      JSON.stringify(visitStarted(c)),
    );
    expect(post.status).toBe(200);
    expect(post.headers['access-control-allow-origin']).toBe('http://shop.test:8080');
    expect(post.body.accepted).toBe(1);
  });

  // Other extensions are refused: test/integration/extensions.test.ts.
  it('grants intake CORS to Visitor Lab\'s extension', async () => {
    const c = visitCtx('origin-extension');
    const origin = `chrome-extension://${EXTENSION_ID}`;
    const post = await raw(open.port, 'POST', '/server/events', { host: `127.0.0.1:${open.port}`, origin, 'content-type': 'application/json' }, JSON.stringify(visitStarted(c)));
    expect(post.status).toBe(200);
    expect(post.headers['access-control-allow-origin']).toBe(origin);
  });

  it('refuses History and lab reads from any web origin, with no Access-Control-Allow-Origin', async () => {
    const c = visitCtx('origin-read');
    await api(shop.url).post('/server/events', [visitStarted(c), ev(c, 'AddToCart', { pageID: 'p0' })]);
    for (const origin of ['http://shop.test:8080', 'https://evil.test']) {
      for (const p of ['/server/data/visits', '/server/data/visits/origin-read/events', '/server/data/identities', '/lab/health', '/lab/contacts']) {
        const res = await raw(shop.port, 'GET', p, { host: `127.0.0.1:${shop.port}`, origin });
        // Reads are refused to every web origin, even one allowed to post events.
        expect(res.status, `${origin} ${p}`).toBe(403);
        expect(res.body.error, `${origin} ${p}`).toBe('forbidden_origin');
        expect(res.headers['access-control-allow-origin'], `${origin} ${p}`).toBeUndefined();
        expect(res.headers['access-control-allow-credentials'], `${origin} ${p}`).toBeUndefined();
      }
      const pre = await raw(shop.port, 'OPTIONS', '/server/data/visits', {
        host: `127.0.0.1:${shop.port}`,
        origin,
        'access-control-request-method': 'GET',
      });
      expect(pre.headers['access-control-allow-origin']).toBeUndefined();
    }
  });
});

describe('state-changing requests from a foreign page (CSRF)', () => {
  const lab = useCompanion({}, 'all');

  it('refuses a preflight-free POST /lab/reset and a History POST from a web origin, changing nothing', async () => {
    const c = visitCtx('csrf-v');
    await api(lab.companion.url).post('/server/events', visitStarted(c));
    const headers = { host: `127.0.0.1:${lab.companion.port}`, origin: 'https://evil.test', 'content-type': 'text/plain' };
    const reset = await raw(lab.companion.port, 'POST', '/lab/reset', headers, '');
    expect(reset.status).toBe(403);
    expect(reset.body.error).toBe('forbidden_origin');
    const visit = await raw(lab.companion.port, 'POST', '/server/data/visits', headers, '{"visitId":"csrf-made"}');
    expect(visit.status).toBe(403);
    expect((await api(lab.companion.url).get('/lab/health')).body.counts.events).toBe(1);
    expect((await api(lab.companion.url).get('/server/data/visits/csrf-made')).status).toBe(404);
  });
});

describe('unknown routes', () => {
  const lab = useCompanion({}, 'all');

  it.each([
    ['GET', '/nope'],
    ['GET', '/server/events'],
    ['GET', '/server/data/nothing'],
    ['GET', '/lab/nothing'],
    ['POST', '/server/data/identities'],
    ['DELETE', '/server/data/visits'],
  ])('%s %s -> 404 JSON', async (method, p) => {
    const res = await fetch(lab.companion.url + p, { method, ...(method === 'POST' ? { body: '{}' } : {}) });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe(JSON_TYPE);
    const body = await res.json();
    expect(body.error).toBe('not_found');
    expect(body.message).toBe(`no route ${method} ${p}`);
  });
});

describe('embedding by other sites', () => {
  const lab = useCompanion({}, 'all');

  // A <script src> at a History URL would otherwise load for a known id and fail on the 404 of
  // an unknown one (test/e2e/security.test.ts shows it in chromium).
  it.each([
    ['GET', '/server/data/identities/ann%40shop.test'],
    ['GET', '/server/data/visits'],
    ['GET', '/lab/health'],
    ['POST', '/server/events'],
    ['GET', '/nope'],
  ])('%s %s: Cross-Origin-Resource-Policy same-origin and nosniff, whatever the status', async (method, p) => {
    const res = await fetch(lab.companion.url + p, { method, ...(method === 'POST' ? { body: '[]' } : {}) });
    expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('leaves the public resources embeddable', async () => {
    const res = await fetch(`${lab.companion.url}/server/resources/dsl/domain-model.xml`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cross-origin-resource-policy')).toBeNull();
  });
});
