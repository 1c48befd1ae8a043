// POST /lab/import's refusals (400 naming the field, nothing replayed) and --auth on both
// exchange routes.
import { describe, expect, it } from 'vitest';
import { useCompanion } from '../helpers/use-companion';
import { basic } from '../helpers/http';
import { pageEntered, visitCtx, visitStarted } from '../helpers/events';

describe('POST /lab/import refuses what is not an export', () => {
  const lab = useCompanion({}, 'all');

  const cases: [string, unknown, string][] = [
    ['an empty body', '', 'body'],
    ['not JSON', '{"log": [', 'body'],
    ['an array', [], 'body'],
    ['an object that is neither', { hello: 'world' }, 'body'],
    ['another format', { format: 'gwe', version: 1, requests: [] }, 'format'],
    ['a later version', { format: 'visitor-lab-export', version: 9, requests: [] }, 'version'],
    ['no requests', { format: 'visitor-lab-export', version: 1 }, 'requests'],
    ['a request without events', { format: 'visitor-lab-export', version: 1, requests: [{ serverTimestamp: 1, events: [] }] }, 'requests[0].events'],
    ['a bad serverTimestamp', { format: 'visitor-lab-export', version: 1, requests: [{ serverTimestamp: 'now', events: [{}] }] }, 'requests[0].serverTimestamp'],
    ['a bad contact', { format: 'visitor-lab-export', version: 1, requests: [], contacts: [{ firstName: 'Nobody' }] }, 'contacts[0].userId'],
    ['a HAR without log.entries', { log: { version: '1.2' } }, 'log.entries'],
    ['a HAR with no intake request', { log: { version: '1.2', entries: [{ startedDateTime: new Date().toISOString(), request: { method: 'GET', url: 'http://shop.test/' } }] } }, 'log.entries'],
    [
      'a HAR intake entry without its body',
      { log: { version: '1.2', entries: [{ startedDateTime: new Date().toISOString(), request: { method: 'POST', url: 'http://127.0.0.1:9081/server/events', headers: [] } }] } },
      'log.entries[0].request.postData.text',
    ],
  ];

  it.each(cases)('%s: 400 naming %s', async (_name, body, field) => {
    const res = await lab.http.post('/lab/import', body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'bad_request', field, message: expect.stringContaining(field) });
  });

  it('a refused document replays nothing, even its valid parts', async () => {
    const c = visitCtx('refused');
    const body = { format: 'visitor-lab-export', version: 1, requests: [{ serverTimestamp: Date.now(), events: [visitStarted(c)] }, { serverTimestamp: 'x', events: [pageEntered(c, 'p1')] }] };
    expect((await lab.http.post('/lab/import', body)).status).toBe(400);
    expect((await lab.http.get('/server/data/visits/refused')).status).toBe(404);
  });

  it('a query parameter: 400 naming it', async () => {
    const res = await lab.http.post('/lab/import?dryRun=true', { format: 'visitor-lab-export', version: 1, requests: [] });
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('dryRun');
  });

  it('a HAR saved with a byte order mark is read', async () => {
    const c = visitCtx('bom');
    const entry = { startedDateTime: new Date().toISOString(), request: { method: 'POST', url: 'http://x.test/server/events', headers: [], postData: { mimeType: 'text/plain', text: JSON.stringify([visitStarted(c)]) } } };
    const res = await lab.http.post('/lab/import', '\uFEFF' + JSON.stringify({ log: { version: '1.2', entries: [entry] } }));
    expect(res.status).toBe(200);
    expect(res.body.events.accepted).toBe(1);
  });
});

describe('--auth on export and import', () => {
  const lab = useCompanion({ auth: 'lab:s3cret' }, 'all');
  const doc = { format: 'visitor-lab-export', version: 1, requests: [] };

  it('both answer 401 without credentials, and work with them', async () => {
    for (const res of [await lab.http.get('/lab/export'), await lab.http.get('/lab/export?format=har'), await lab.http.post('/lab/import', doc)]) {
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('unauthorized');
      expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    }
    expect((await lab.http.get('/lab/export', basic('lab:wrong'))).status).toBe(401);
    expect((await lab.http.get('/lab/export?format=csv', basic('lab:s3cret'))).status).toBe(200);
    const imported = await lab.http.post('/lab/import', doc, basic('lab:s3cret'));
    expect(imported.status).toBe(200);
    expect(imported.body.requests).toBe(0);
  });
});
