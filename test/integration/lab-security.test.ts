// The lab API (health, reset, contacts, --contacts seeding) and what keeps visitor data on this
// machine: --auth on the History and lab APIs, the Host check against DNS rebinding, intake CORS
// limited to allowed origins and extensions, no CORS on reads, and JSON 404s.
import { request } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { api, removeDir, ROOT, tempDir, testCompanion, type Api } from '../helpers/companion';
import { ev, pageEntered, signIn, userInfo, visitCtx, visitStarted } from '../helpers/events';

type TestCompanion = Awaited<ReturnType<typeof testCompanion>>;

const VERSION = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version as string;
const ZERO_COUNTS = { visits: 0, pages: 0, events: 0, identities: 0, sessions: 0, contacts: 0 };
const JSON_TYPE = 'application/json; charset=utf-8';

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

/** A request with headers fetch will not let us set (Host). */
function raw(port: number, method: string, p: string, headers: Record<string, string>, body?: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const all: Record<string, string> = { ...headers, ...(body ? { 'content-length': String(Buffer.byteLength(body)) } : {}) };
    // An empty host means "send no Host header at all" (setHost: false).
    const noHost = all.host === '';
    if (noHost) delete all.host;
    const req = request({ host: '127.0.0.1', port, method, path: p, headers: all, setHost: !noHost }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => {
        let parsed: unknown = text;
        try {
          parsed = text ? JSON.parse(text) : null;
        } catch {
          /* keep the text */
        }
        resolve({ status: res.statusCode!, headers: res.headers, body: parsed });
      });
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

const basic = (cred: string) => ({ authorization: 'Basic ' + Buffer.from(cred).toString('base64') });

describe('lab API', () => {
  let companion: TestCompanion;
  let http: Api;
  beforeEach(async () => {
    companion = await testCompanion();
    http = api(companion.url);
  });
  afterEach(async () => {
    await companion.close();
    removeDir(companion.dataDir);
  });

  const counts = async () => (await http.get('/lab/health')).body.counts;

  it('GET /lab/health answers name, version, status, times, data dir, expiry and zero counts', async () => {
    const before = Date.now();
    const res = await http.get('/lab/health');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(JSON_TYPE);
    expect(res.body).toEqual({
      name: 'visitor-lab-companion',
      version: VERSION,
      status: 'ok',
      startedAt: expect.any(Number),
      uptimeSeconds: expect.any(Number),
      dataDir: path.resolve(companion.dataDir),
      visitExpirationTime: 86400,
      counts: ZERO_COUNTS,
    });
    expect(VERSION).toBe('0.1.0');
    expect(res.body.startedAt).toBeLessThanOrEqual(before);
    expect(res.body.startedAt).toBeGreaterThan(before - 60_000);
    expect(res.body.uptimeSeconds).toBeGreaterThanOrEqual(0);
    expect(res.body.uptimeSeconds).toBeLessThan(60);
  });

  it('GET /lab/health counts visits, pages, events, identities, sessions and contacts', async () => {
    const a = visitCtx('lab-a');
    const b = visitCtx('lab-b');
    const res = await http.post('/server/events', [
      visitStarted(a),
      pageEntered(a, 'p1'),
      signIn(a, { email: 'ann@shop.test' }),
      pageEntered(a, 'p2'),
      signIn(a, { userId: 'bob' }, 'p2'),
      visitStarted(b),
      pageEntered(b, 'p1'),
      userInfo(b, 'carol'),
    ]);
    expect(res.body.accepted).toBe(8);
    // 2 visits; pages lab-a.p1, lab-a.p2, lab-b.p1; 3 identities; 2 sessions (two SignIns); 3 contacts made by identification.
    expect(await counts()).toEqual({ visits: 2, pages: 3, events: 8, identities: 3, sessions: 2, contacts: 3 });
  });

  it('GET /lab/health reports the configured visit expiration', async () => {
    const short = await testCompanion({ engine: { visitExpirationTime: 600 } });
    try {
      expect((await api(short.url).get('/lab/health')).body.visitExpirationTime).toBe(600);
    } finally {
      await short.close();
      removeDir(short.dataDir);
    }
  });

  it('lab requests refuse unknown query parameters with 400 naming them', async () => {
    const res = await http.get('/lab/health?verbose=true');
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('verbose');
    const reset = await http.post('/lab/reset?all=true', '');
    expect(reset.status).toBe(400);
    expect(reset.body.field).toBe('all');
  });

  it('POST /lab/reset empties visits, events, identities, sessions and contacts, durably', async () => {
    const c = visitCtx('lab-reset');
    const events = [visitStarted(c), pageEntered(c, 'p1'), signIn(c, { email: 'ann@shop.test' })];
    expect((await http.post('/server/events', events)).body.accepted).toBe(3);
    expect((await http.post('/lab/contacts', { contactId: 'crm-1', email: 'x@shop.test' })).status).toBe(201);
    expect(await counts()).toEqual({ visits: 1, pages: 1, events: 3, identities: 1, sessions: 1, contacts: 2 });

    const res = await http.post('/lab/reset', undefined);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'reset' });
    expect(await counts()).toEqual(ZERO_COUNTS);
    expect((await http.get('/server/data/visits')).status).toBe(204);
    expect((await http.get('/server/data/identities')).status).toBe(204);
    expect((await http.get('/server/data/visits/lab-reset')).status).toBe(404);
    expect((await http.get('/server/data/identities/ann%40shop.test')).status).toBe(404);
    expect((await http.get('/lab/contacts')).body).toEqual([]);
    // The same eventIDs are new again after a reset.
    const again = await http.post('/server/events', events);
    expect(again.body.accepted).toBe(3);
    expect(again.body.duplicate).toBe(0);

    // Durable: a restart on the same folder still shows the state after the reset, not before.
    await http.post('/lab/reset', undefined);
    await companion.close();
    companion = await testCompanion({ dataDir: companion.dataDir });
    http = api(companion.url);
    expect(await counts()).toEqual(ZERO_COUNTS);
  });

  it('POST /lab/contacts creates contacts (201 with what is stored); GET lists and reads them', async () => {
    const one = await http.post('/lab/contacts', { contactId: 'crm-001', email: 'Ann.Lee@Shop.test', firstName: 'Ann', lastName: 'Lee' });
    expect(one.status).toBe(201);
    expect(one.body).toEqual([{ contactId: 'crm-001', email: 'Ann.Lee@Shop.test', firstName: 'Ann', lastName: 'Lee', origin: 'seed' }]);
    const many = await http.post('/lab/contacts', [{ userId: 'u-9' }, { phone: '+1 555-0100', firstName: 'Pat' }]);
    expect(many.status).toBe(201);
    expect(many.body).toEqual([
      { contactId: 'contact-u-9', userId: 'u-9', origin: 'seed' },
      { contactId: 'contact-+1 555-0100', phone: '+1 555-0100', firstName: 'Pat', origin: 'seed' },
    ]);
    const list = await http.get('/lab/contacts');
    expect(list.status).toBe(200);
    expect(list.body.map((c: any) => c.contactId)).toEqual(['crm-001', 'contact-u-9', 'contact-+1 555-0100']);
    const read = await http.get('/lab/contacts/crm-001');
    expect(read.status).toBe(200);
    expect(read.body).toEqual(one.body[0]);
    const missing = await http.get('/lab/contacts/crm-404');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toBe('not_found');
    expect(missing.headers.get('content-type')).toBe(JSON_TYPE);

    // Updating keeps the fields not given.
    const update = await http.post('/lab/contacts', { contactId: 'crm-001', phone: '+33 1 23 45 67 89' });
    expect(update.status).toBe(201);
    expect(update.body).toEqual([
      { contactId: 'crm-001', email: 'Ann.Lee@Shop.test', firstName: 'Ann', lastName: 'Lee', phone: '+33 1 23 45 67 89', origin: 'seed' },
    ]);
    expect((await counts()).contacts).toBe(3);
  });

  it('SignIn matches a seeded contact by email (ignoring case): entityInCS is its contactId, no new contact', async () => {
    await http.post('/lab/contacts', { contactId: 'crm-001', email: 'Ann.Lee@Shop.test', firstName: 'Ann' });
    const c = visitCtx('lab-contact');
    await http.post('/server/events', [visitStarted(c), signIn(c, { email: 'ann.lee@shop.test', firstName: 'Ann', lastName: 'Lee' })]);
    const identity = await http.get('/server/data/identities/ann.lee%40shop.test');
    expect(identity.status).toBe(200);
    expect(identity.body[0].entityInCS).toBe('crm-001');
    expect((await counts()).contacts).toBe(1);
  });

  it('SignIn matches by phone digits, and creates a contact when nothing matches', async () => {
    await http.post('/lab/contacts', { contactId: 'crm-phone', phone: '+1 555-0100' });
    const c = visitCtx('lab-phone');
    await http.post('/server/events', [
      visitStarted(c),
      signIn(c, { userId: 'zed', phone: '+15550100' }),
      signIn(c, { userId: 'newbie', email: 'new@shop.test', firstName: 'New', lastName: 'Bie' }),
    ]);
    expect((await http.get('/server/data/identities/zed')).body[0].entityInCS).toBe('crm-phone');
    expect((await http.get('/server/data/identities/newbie')).body[0].entityInCS).toBe('contact-newbie');
    const created = await http.get('/lab/contacts/contact-newbie');
    expect(created.status).toBe(200);
    expect(created.body).toEqual({
      contactId: 'contact-newbie',
      userId: 'newbie',
      email: 'new@shop.test',
      firstName: 'New',
      lastName: 'Bie',
      origin: 'SignIn',
    });
  });

  it.each([
    [{ firstName: 'No Id' }, 'userId'],
    [{ email: '' }, 'email'],
    [{ email: 'a@shop.test', phone: 5550100 }, 'phone'],
    [{ contactId: '__proto__', email: 'a@shop.test' }, 'contactId'],
    [[{ email: 'ok@shop.test' }, { lastName: 'NoId' }], '[1].userId'],
    ['{"email":', 'body'],
  ])('POST /lab/contacts %j -> 400 naming %s, storing nothing', async (body, field) => {
    const res = await http.post('/lab/contacts', body);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('bad_request');
    expect(res.body.field).toBe(field);
    expect((await http.get('/lab/contacts')).body).toEqual([]);
  });

  it('POST /lab/contacts with an unknown field -> 400 naming that field', async () => {
    const res = await http.post('/lab/contacts', { email: 'a@shop.test', nickname: 'Annie' });
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('nickname');
    expect((await http.get('/lab/contacts')).body).toEqual([]);
  });
});

describe('--contacts seed file', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) removeDir(d);
  });

  it('seeds the contact directory; SignIn by userId links to the seeded contact', async () => {
    const dir = tempDir('vl-seed-');
    dirs.push(dir);
    const file = path.join(dir, 'contacts.json');
    writeFileSync(file, JSON.stringify([{ contactId: 'crm-9', userId: 'u-9', email: 'nine@shop.test' }, { email: 'ten@shop.test' }]));
    const companion = await testCompanion({ contactsFile: file });
    try {
      const http = api(companion.url);
      expect((await http.get('/lab/contacts')).body).toEqual([
        { contactId: 'crm-9', userId: 'u-9', email: 'nine@shop.test', origin: 'seed' },
        { contactId: 'contact-ten@shop.test', email: 'ten@shop.test', origin: 'seed' },
      ]);
      const c = visitCtx('seed-visit');
      await http.post('/server/events', [visitStarted(c), signIn(c, { userId: 'u-9', email: 'other@shop.test' })]);
      expect((await http.get('/server/data/identities/u-9')).body[0].entityInCS).toBe('crm-9');
      expect((await http.get('/lab/health')).body.counts.contacts).toBe(2);
    } finally {
      await companion.close();
      removeDir(companion.dataDir);
    }
  });

  it('refuses to start on an invalid seed file, naming the file and the field', async () => {
    const dir = tempDir('vl-seed-');
    dirs.push(dir);
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify([{ email: 'ok@shop.test' }, { firstName: 'NoId' }]));
    const dataDir = tempDir();
    dirs.push(dataDir);
    await expect(testCompanion({ contactsFile: bad, dataDir })).rejects.toThrow(/--contacts .*bad\.json: \[1\]\.userId/);
    const notJson = path.join(dir, 'not.json');
    writeFileSync(notJson, '[{"email":');
    await expect(testCompanion({ contactsFile: notJson, dataDir })).rejects.toThrow(/--contacts .*not\.json/);
    // The data folder is not left locked: a companion starts on it.
    const ok = await testCompanion({ dataDir });
    await ok.close();
  });
});

describe('--auth user:pass', () => {
  let companion: TestCompanion;
  let http: Api;
  beforeAll(async () => {
    companion = await testCompanion({ auth: 'lab:s3cret' });
    http = api(companion.url);
  });
  afterAll(async () => {
    await companion.close();
    removeDir(companion.dataDir);
  });

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
    const res = await http.post('/server/events', [visitStarted(c), pageEntered(c, 'p1')]);
    expect(res.status).toBe(200);
    expect(res.body.accepted).toBe(2);
  });

  it.each(protectedRequests)('%s %s without credentials -> 401 JSON', async (method, p) => {
    const res = method === 'GET' ? await http.get(p) : await http.post(p, { email: 'x@shop.test' });
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
      const res = await http.get(p, headers);
      expect(res.status, p).toBe(401);
      expect(res.body.error, p).toBe('unauthorized');
    }
    const reset = await http.post('/lab/reset', undefined, headers);
    expect(reset.status).toBe(401);
  });

  it('the right credentials open the History and lab APIs (and a refused reset changed nothing)', async () => {
    const auth = basic('lab:s3cret');
    const visits = await http.get('/server/data/visits', auth);
    expect(visits.status).toBe(200);
    expect(visits.body.map((v: any) => v.visitId)).toEqual(['auth-visit']);
    const events = await http.get('/server/data/visits/auth-visit/events', auth);
    expect(events.status).toBe(200);
    expect(events.body).toHaveLength(2);
    const health = await http.get('/lab/health', auth);
    expect(health.status).toBe(200);
    expect(health.body.counts.events).toBe(2);
    expect((await http.get('/lab/contacts', auth)).status).toBe(200);
  });
});

describe('Host check (DNS rebinding)', () => {
  let companion: TestCompanion;
  beforeAll(async () => {
    companion = await testCompanion();
  });
  afterAll(async () => {
    await companion.close();
    removeDir(companion.dataDir);
  });

  it.each(['evil.test', 'localhost.evil.test', '127.0.0.1.evil.test', '10.0.0.1', 'shop.test', '0.0.0.0'])(
    'Host "%s" -> 403 JSON on History, lab and intake, storing nothing',
    async (hostname) => {
      const host = `${hostname}:${companion.port}`;
      const history = await raw(companion.port, 'GET', '/server/data/visits', { host });
      expect(history.status).toBe(403);
      expect(history.headers['content-type']).toBe(JSON_TYPE);
      expect(history.body.error).toBe('forbidden_host');
      expect(history.body.field).toBe('Host');
      expect((await raw(companion.port, 'GET', '/lab/health', { host })).status).toBe(403);
      const c = visitCtx(`host-${hostname}`);
      const intake = await raw(companion.port, 'POST', '/server/events', { host, 'content-type': 'application/json' }, JSON.stringify(visitStarted(c)));
      expect(intake.status).toBe(403);
      expect((await api(companion.url).get('/lab/health')).body.counts.events).toBe(0);
    },
  );

  it('a request without a Host header is refused and stores nothing', async () => {
    const c = visitCtx('host-missing');
    const res = await raw(companion.port, 'POST', '/server/events', { host: '', 'content-type': 'application/json' }, JSON.stringify(visitStarted(c)));
    // Node's HTTP server itself refuses an HTTP/1.1 request without Host (400) before the app.
    expect([400, 403]).toContain(res.status);
    expect((await api(companion.url).get('/lab/health')).body.counts.events).toBe(0);
  });

  it.each(['localhost', '127.0.0.1', '127.8.9.10', '[::1]', 'LOCALHOST'])('Host "%s" is a loopback name -> served', async (hostname) => {
    const res = await raw(companion.port, 'GET', '/lab/health', { host: `${hostname}:${companion.port}` });
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

  it('grants intake CORS to browser extensions', async () => {
    const c = visitCtx('origin-extension');
    const post = await raw(
      open.port,
      'POST',
      '/server/events',
      { host: `127.0.0.1:${open.port}`, origin: 'chrome-extension://abcdefghijklmnop', 'content-type': 'application/json' },
      JSON.stringify(visitStarted(c)),
    );
    expect(post.status).toBe(200);
    expect(post.headers['access-control-allow-origin']).toBe('chrome-extension://abcdefghijklmnop');
  });

  it('sends no Access-Control-Allow-Origin on History or lab answers to a web origin', async () => {
    const c = visitCtx('origin-read');
    await api(shop.url).post('/server/events', [visitStarted(c), ev(c, 'AddToCart', { pageID: 'p0' })]);
    for (const origin of ['http://shop.test:8080', 'https://evil.test']) {
      for (const p of ['/server/data/visits', '/server/data/visits/origin-read/events', '/server/data/identities', '/lab/health', '/lab/contacts']) {
        const res = await raw(shop.port, 'GET', p, { host: `127.0.0.1:${shop.port}`, origin });
        expect([200, 204], `${origin} ${p}`).toContain(res.status);
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

describe('unknown routes', () => {
  let companion: TestCompanion;
  beforeAll(async () => {
    companion = await testCompanion();
  });
  afterAll(async () => {
    await companion.close();
    removeDir(companion.dataDir);
  });

  it.each([
    ['GET', '/nope'],
    ['GET', '/server/events'],
    ['GET', '/server/data/nothing'],
    ['GET', '/lab/nothing'],
    ['POST', '/server/data/identities'],
    ['DELETE', '/server/data/visits'],
  ])('%s %s -> 404 JSON', async (method, p) => {
    const res = await fetch(companion.url + p, { method, ...(method === 'POST' ? { body: '{}' } : {}) });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe(JSON_TYPE);
    const body = await res.json();
    expect(body.error).toBe('not_found');
    expect(body.message).toBe(`no route ${method} ${p}`);
  });
});
