// GET /lab/openapi.json against a real companion: a document a tool can read (OpenAPI 3.1.0,
// every $ref resolves), whose operations are exactly the app's routes, whose query parameters
// are the ones the routes read, and whose schemas the real answers conform to.
import { beforeAll, describe, expect, it } from 'vitest';
import { VERSION } from '../../companion/companion';
import { createApp } from '../../companion/server/app';
import { api, type Api } from '../helpers/companion';
import { pageEntered, signIn, visitCtx, visitStarted } from '../helpers/events';
import { basic, raw } from '../helpers/http';
import { appRoutes, conforms, documentOperations, refsOf, resolvePointer, validator } from '../helpers/openapi';
import { useCompanion } from '../helpers/use-companion';

const sorted = (s: Iterable<string>) => [...s].sort();

async function fetchDocument(http: Api): Promise<any> {
  const res = await http.get('/lab/openapi.json');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
  return res.body;
}

describe('GET /lab/openapi.json', () => {
  const lab = useCompanion({}, 'all');
  let doc: any;
  beforeAll(async () => {
    doc = await fetchDocument(lab.http);
  });

  it("is OpenAPI 3.1.0 with the companion's version and address, its tags, and every $ref resolving", () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: 'Visitor Lab companion', version: VERSION });
    expect(doc.servers).toEqual([{ url: lab.companion.url, description: 'this companion' }]);
    expect(doc.tags.map((t: { name: string }) => t.name)).toEqual(expect.arrayContaining(['intake', 'History', 'lab']));
    expect(doc.components.securitySchemes.basicAuth).toMatchObject({ type: 'http', scheme: 'basic' });
    const refs = refsOf(doc);
    expect(refs.length).toBeGreaterThan(50);
    expect(refs.filter((r) => resolvePointer(doc, r.ref) === undefined)).toEqual([]);
  });

  it('lists every route of the app, and every operation it lists is a route (path parameters by position)', () => {
    const routes = appRoutes(createApp(lab.companion.store, { host: '127.0.0.1', allowOrigins: [], version: VERSION, log: () => {} }));
    const documented = new Set(documentOperations(doc).map((o) => o.key));
    expect(routes.size).toBeGreaterThan(30);
    expect({
      'routes missing from the document': sorted([...routes].filter((r) => !documented.has(r))),
      'documented operations that are no route': sorted([...documented].filter((d) => !routes.has(d))),
    }).toEqual({
      'routes missing from the document': [],
      'documented operations that are no route': [],
    });
  });

  it('gives each operation a unique operationId, known tags, and the path parameters its path names', () => {
    const tags = new Set(doc.tags.map((t: { name: string }) => t.name));
    const ids = new Set<string>();
    for (const { path, method, op } of documentOperations(doc)) {
      const where = `${method.toUpperCase()} ${path}`;
      expect(ids.has(op.operationId), `${where}: operationId ${op.operationId} twice`).toBe(false);
      ids.add(op.operationId);
      expect(op.tags.every((t: string) => tags.has(t)), `${where}: tags ${op.tags}`).toBe(true);
      expect(Object.keys(op.responses).length, where).toBeGreaterThan(0);
      const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      const declared = (op.parameters ?? []).filter((p: { in: string }) => p.in === 'path').map((p: { name: string }) => p.name);
      expect(declared, where).toEqual(inPath);
      for (const p of op.parameters ?? []) {
        expect(p.schema, `${where} ${p.name}`).toBeTypeOf('object');
        if (p.in === 'path') expect(p.required, `${where} ${p.name}`).toBe(true);
      }
      // OpenAPI requires a description on every response.
      for (const [status, response] of Object.entries<any>(op.responses)) {
        const resolved = response.$ref ? resolvePointer(doc, response.$ref) : response;
        expect((resolved as { description?: unknown }).description, `${where} ${status}`).toBeTypeOf('string');
      }
    }
  });

  it('documents the History parameters with their types and defaults, and the paging and ignored-parameter headers', () => {
    const events = doc.paths['/server/data/visits/{visitId}/events'].get;
    const param = (name: string) => events.parameters.find((p: { name: string }) => p.name === name);
    expect(param('page_size').schema).toEqual({ type: 'integer', minimum: 1, maximum: 1000, default: 100 });
    expect(param('eventType').schema).toEqual({ type: 'string', enum: ['SYSTEM', 'BUSINESS'] });
    expect(param('age').schema).toEqual({ type: 'number', minimum: 0 });
    expect(Object.keys(events.responses['200'].headers)).toEqual(['Paging-Next', 'X-Ignored-Parameters']);
    const visit = doc.paths['/server/data/visits/{visitId}'].get;
    expect(visit.parameters.find((p: { name: string }) => p.name === 'include_events_detail').schema).toEqual({ type: 'boolean', default: false });
    expect(Object.keys(doc.paths['/server/data/visits'].post.responses['201'].headers)).toContain('X-Ignored-Fields');
    // Generated from the protocol's zod schemas: the event's limits come from protocol/events.ts.
    expect(doc.components.schemas.GtEvent.properties.eventID).toEqual({ type: 'string', maxLength: 256 });
    expect(doc.components.schemas.VisitInput.additionalProperties).toBe(false);
    expect(doc.components.schemas.Error.required).toEqual(['error', 'message']);
  });

  it('answers If-None-Match with 304, and a query parameter with a 400 naming it', async () => {
    const first = await lab.http.get('/lab/openapi.json');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    // node:http, not fetch: fetch adds Cache-Control: no-cache to a conditional request.
    const again = await raw(lab.companion.port, 'GET', '/lab/openapi.json', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body).toBe(null);
    expect((await raw(lab.companion.port, 'GET', '/lab/openapi.json', { 'if-none-match': '"other"' })).status).toBe(200);
    const bad = await lab.http.get('/lab/openapi.json?v=2');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: 'bad_request', field: 'v' });
  });
});

describe('the document against what the routes do', () => {
  const lab = useCompanion({}, 'all');
  let doc: any;
  const c = visitCtx('oa-visit');
  const ids = { visitId: c.visitID, identityId: 'pat@shop.test', pageId: `${c.visitID}:p1`, contactId: 'contact-pat@shop.test', name: 'cart' };
  beforeAll(async () => {
    doc = await fetchDocument(lab.http);
    const intake = await lab.http.post('/server/events', [visitStarted(c), pageEntered(c, 'p1'), signIn(c, { email: 'pat@shop.test' })]);
    expect(intake.body.accepted).toBe(3);
  });

  const send = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(lab.companion.url + path, { method, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: await res.json() };
  };
  const filled = (path: string) => path.replace(/\{([^}]+)\}/g, (_m, name: keyof typeof ids) => encodeURIComponent(ids[name] ?? 'x'));
  const sample = (schema: any): string =>
    schema.enum ? schema.enum[0] : schema.type === 'boolean' ? 'true' : schema.type === 'integer' ? String(schema.default ?? 1) : schema.type === 'number' ? '60' : 'x';

  it('documents only query parameters the routes read (none unknown to a lab route, none ignored by a History one)', async () => {
    const wrong: string[] = [];
    for (const { path, method, op } of documentOperations(doc)) {
      if (method !== 'get') continue;
      for (const p of (op.parameters ?? []).filter((q: { in: string }) => q.in === 'query')) {
        const res = await lab.http.get(`${filled(path)}?${p.name}=${encodeURIComponent(sample(p.schema))}`);
        const unknown = res.status === 400 && /unknown parameter/.test(res.body?.message ?? '');
        if (unknown || res.headers.get('x-ignored-parameters') !== null) wrong.push(`GET ${path} ?${p.name}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('describes the real answers: each conforms to the schema documented for its status', async () => {
    const { http } = lab;
    const V = '/server/data/visits/{visitId}';
    const checks: [string, string, () => Promise<{ status: number; body: unknown }>][] = [
      ['/server/events', 'post', () => http.post('/server/events', [pageEntered(c, 'p2')])],
      ['/server/events', 'post', () => http.post('/server/events', [{ eventType: 'NOPE' }])],
      ['/server/data/visits', 'get', () => http.get('/server/data/visits?include_pages_detail=true&include_events_detail=true')],
      [V, 'get', () => http.get(`${filled(V)}?include_pages_detail=true&include_events_detail=true`)],
      [`${V}/events`, 'get', () => http.get(`${filled(V)}/events`)],
      [`${V}/identities`, 'get', () => http.get(`${filled(V)}/identities?include_visits_detail=true`)],
      ['/server/data/pages/{pageId}', 'get', () => http.get(`${filled('/server/data/pages/{pageId}')}?include_events_detail=true`)],
      ['/server/data/identities/{identityId}', 'get', () => http.get(`${filled('/server/data/identities/{identityId}')}?include_visits_detail=true&include_pages_detail=true&include_events_detail=true`)],
      ['/server/data/identities/{identityId}/events', 'get', () => http.get(`${filled('/server/data/identities/{identityId}/events')}?page_size=0`)],
      ['/server/data/visits', 'post', () => http.post('/server/data/visits', { visitId: 'oa-made', endDate: 5 })],
      [`${V}/events`, 'post', () => http.post(`${filled(V)}/events`, { eventType: 'BUSINESS', eventName: 'AddToCart', pageID: 'p1' })],
      ['/lab/health', 'get', () => http.get('/lab/health')],
      ['/lab/health', 'get', () => raw(lab.companion.port, 'GET', '/lab/health', { 'sec-fetch-site': 'cross-site' })],
      ['/lab/changes', 'get', () => http.get(`/lab/changes?visitId=${c.visitID}`)],
      ['/lab/visits', 'get', () => http.get('/lab/visits')],
      ['/lab/contacts', 'post', () => http.post('/lab/contacts', [{ email: 'ann@shop.test', firstName: 'Ann' }])],
      ['/lab/contacts', 'get', () => http.get('/lab/contacts')],
      ['/lab/contacts/{contactId}', 'get', () => http.get(filled('/lab/contacts/{contactId}'))],
      ['/lab/contacts/{contactId}', 'get', () => http.get('/lab/contacts/nobody')],
      ['/lab/categories', 'post', () => http.post('/lab/categories', [{ name: 'cart', tags: ['cart', { regex: 'ba?sket', caseSensitive: true }] }])],
      ['/lab/categories', 'get', () => http.get('/lab/categories')],
      ['/lab/import', 'post', () => http.get('/lab/export').then((e) => http.post('/lab/import', e.body))],
      ['/lab/export', 'get', () => http.get(`/lab/export?visitId=${c.visitID}`)],
      ['/lab/export', 'get', () => http.get('/lab/export?format=har')],
      ['/lab/export', 'get', () => http.get('/lab/export?visitId=nobody')],
      ['/lab/categories', 'put', () => send('PUT', '/lab/categories', [{ name: 'cart', tags: [{ text: 'Cart' }] }, { name: 'gone', tags: ['x'] }])],
      ['/lab/categories/{name}', 'delete', () => send('DELETE', '/lab/categories/gone')],
      ['/lab/openapi.json', 'get', () => http.get('/lab/openapi.json')],
      ['/lab/reset', 'post', () => http.post('/lab/reset', '')],
    ];
    const statuses: string[] = [];
    const problems: string[] = [];
    // One after another: later ones read what earlier ones wrote (the import, the reset last).
    for (const [path, method, answer] of checks) {
      const { status, body } = await answer();
      statuses.push(`${method} ${path} ${status}`);
      const verdict = conforms(doc, path, method, status, body);
      if (verdict !== 'conforms') problems.push(verdict);
    }
    // Each status is one the checks were written for (a 200 read, a 400, a 404 ...).
    expect(statuses).toEqual([
      'post /server/events 200', 'post /server/events 400', 'get /server/data/visits 200', `get ${V} 200`, `get ${V}/events 200`,
      `get ${V}/identities 200`, 'get /server/data/pages/{pageId} 200', 'get /server/data/identities/{identityId} 200',
      'get /server/data/identities/{identityId}/events 400', 'post /server/data/visits 201', `post ${V}/events 201`, 'get /lab/health 200', 'get /lab/health 403',
      'get /lab/changes 200', 'get /lab/visits 200', 'post /lab/contacts 201', 'get /lab/contacts 200', 'get /lab/contacts/{contactId} 200',
      'get /lab/contacts/{contactId} 404', 'post /lab/categories 201', 'get /lab/categories 200', 'post /lab/import 200',
      'get /lab/export 200', 'get /lab/export 200', 'get /lab/export 404', 'put /lab/categories 200', 'delete /lab/categories/{name} 200',
      'get /lab/openapi.json 200', 'post /lab/reset 200',
    ]);
    expect(problems).toEqual([]);
  });

  it('tells a wrong answer from a right one (the schemas are not empty promises)', () => {
    const visit = validator(doc, { $ref: '#/components/schemas/VisitResource' });
    expect(visit.safeParse({ visitId: 'v' }).success).toBe(false);
    const error = validator(doc, { $ref: '#/components/schemas/Error' });
    expect(error.safeParse({ error: 'bad_request', message: 'x: y', field: 'x' }).success).toBe(true);
    expect(error.safeParse({ error: 'bad_request', field: 'x' }).success).toBe(false);
  });
});

describe('every documented operation over HTTP', () => {
  const lab = useCompanion({}, 'all');

  it("reaches a route: none is answered with the companion's 404 `no route`", async () => {
    const doc = await fetchDocument(lab.http);
    const noRoute: string[] = [];
    for (const { path, method } of documentOperations(doc)) {
      const url = lab.companion.url + path.replace(/\{[^}]+\}/g, 'x');
      const res = await fetch(url, { method: method.toUpperCase(), ...(method === 'get' ? {} : { body: '' }) });
      const body = await res.text();
      if (res.status === 404 && body.includes('"no route')) noRoute.push(`${method.toUpperCase()} ${path}`);
    }
    expect(noRoute).toEqual([]);
  });
});

describe('GET /lab/openapi.json under --auth', () => {
  const lab = useCompanion({ auth: 'tester:secret' }, 'all');

  it('needs the credentials, and says which operations do: History and lab yes, resources no, intake optional', async () => {
    expect((await lab.http.get('/lab/openapi.json')).status).toBe(401);
    const doc = await fetchDocument(authed(lab.companion.url));
    expect(doc.info.description).toMatch(/runs with --auth/);
    expect(doc.paths['/server/data/visits/{visitId}'].get.security).toEqual([{ basicAuth: [] }]);
    expect(doc.paths['/server/data/visits/{visitId}'].get.responses['401']).toEqual({ $ref: '#/components/responses/Unauthorized' });
    expect(doc.paths['/lab/health'].get.security).toEqual([{ basicAuth: [] }]);
    expect(doc.paths['/server/resources/js/build/GPE.min.js'].get.security).toEqual([]);
    expect(doc.paths['/server/events'].post.security).toEqual([{}, { basicAuth: [] }]);
  });
});

/** The api helper with the credentials on every request. */
function authed(url: string): Api {
  const http = api(url);
  return { get: (p, h) => http.get(p, { ...basic('tester:secret'), ...h }), post: (p, b, h) => http.post(p, b, { ...basic('tester:secret'), ...h }) };
}
