// Errors over real HTTP (docs/api.md): every error is a JSON object {error, message, field?};
// a URL that does not decode is about the request, not the body; a charset the companion
// cannot decode is 415; an identifier that would be an unsafe table key is refused and never
// stored, and a restart on the same data keeps what was stored and serves it.
import { connect } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { api, removeDir, tempDir, testCompanion } from '../helpers/companion';
import { useCompanion } from '../helpers/use-companion';
import { JSON_TYPE, raw } from '../helpers/http';
import { signIn, visitCtx, visitStarted } from '../helpers/events';

describe('error answers', () => {
  const lab = useCompanion({}, 'all');

  it('a path that does not decode -> 400 JSON about the request, not the body', async () => {
    const res = await raw(lab.companion.port, 'GET', '/server/data/visits/%E0%A4%A', {});
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe(JSON_TYPE);
    expect(res.body).toEqual(expect.objectContaining({ error: 'bad_request', message: expect.any(String) }));
    expect(res.body.field).not.toBe('body');
    expect(res.body.message.startsWith('request body')).toBe(false);
    // The same for an identity's path.
    const identity = await raw(lab.companion.port, 'GET', '/server/data/identities/%E0%A4%A/visits', {});
    expect(identity.status).toBe(400);
    expect(identity.body.error).toBe('bad_request');
    expect(identity.body.field).not.toBe('body');
    expect(identity.body.message.startsWith('request body')).toBe(false);
  });

  it("a URL over Node's 16 KB header limit -> 431 JSON, and malformed HTTP -> 400 JSON; the companion answers on", async () => {
    const long = await raw(lab.companion.port, 'GET', `/server/data/visits/${'v'.repeat(20_000)}`, {});
    expect(long.status).toBe(431);
    expect(long.headers['content-type']).toBe(JSON_TYPE);
    expect(long.body).toEqual({ error: 'too_large', message: expect.stringContaining('16 KB'), field: 'headers' });
    const broken = await new Promise<string>((resolve, reject) => {
      const socket = connect(lab.companion.port, '127.0.0.1', () => socket.end('NOT HTTP AT ALL\r\n\r\n'));
      let text = '';
      socket.on('data', (d) => (text += d));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(broken).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(JSON.parse(broken.slice(broken.indexOf('\r\n\r\n') + 4))).toMatchObject({ error: 'bad_request', field: 'request' });
    expect((await lab.http.get('/lab/health')).status).toBe(200);
  });

  it('a body in a charset the companion cannot decode -> 415 unsupported_media_type, field body, nothing stored', async () => {
    const c = visitCtx('charset-visit');
    const res = await raw(
      lab.companion.port,
      'POST',
      '/server/events',
      { 'content-type': 'application/json; charset=koi8-r-unknown' },
      JSON.stringify(visitStarted(c)),
    );
    expect(res.status).toBe(415);
    expect(res.headers['content-type']).toBe(JSON_TYPE);
    expect(res.body.error).toBe('unsupported_media_type');
    expect(res.body.field).toBe('body');
    expect(res.body.message).toEqual(expect.any(String));
    expect((await lab.http.get('/lab/health')).body.counts.events).toBe(0);
    expect((await lab.http.get('/server/data/visits/charset-visit')).status).toBe(404);
  });

  it('SignIn with userId "__proto__" -> 400 naming data.userId; no identity is stored', async () => {
    const c = visitCtx('proto-visit');
    const sign = signIn(c, { userId: '__proto__', firstName: 'Mallory' });
    const res = await lab.http.post('/server/events', sign);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('bad_request');
    expect(res.body.field).toBe('data.userId');
    expect(res.body.accepted).toBe(0);
    expect(res.body.rejected).toBe(1);
    expect(res.body.results).toEqual([
      { index: 0, eventID: sign.eventID, status: 'rejected', field: 'data.userId', reason: expect.any(String) },
    ]);
    // Beside a valid event, it is rejected on its own.
    const start = visitStarted(c);
    const sign2 = signIn(c, { userId: ' __proto__ ' });
    const mixed = await lab.http.post('/server/events', [start, sign2]);
    expect(mixed.status).toBe(200);
    expect(mixed.body.results.map((r: any) => [r.status, r.field])).toEqual([
      ['accepted', undefined],
      ['rejected', 'data.userId'],
    ]);

    const identities = await lab.http.get('/server/data/identities');
    expect(identities.status).toBe(204);
    const health = (await lab.http.get('/lab/health')).body.counts;
    expect(health.identities).toBe(0);
    expect(health.sessions).toBe(0);
    expect(health.events).toBe(1);
    expect((await lab.http.get('/server/data/visits/proto-visit/identities')).status).toBe(204);
    expect((await lab.http.get('/server/data/visits/proto-visit')).body.visitorState).toBe('Anonymous');
  });
});

describe('identities after a restart', () => {
  const dataDir = tempDir();
  afterAll(() => removeDir(dataDir));

  it('a stored identity is still there and GET /server/data/identities answers 200', async () => {
    const c = visitCtx('restart-visit');
    let companion = await testCompanion({ dataDir });
    try {
      const http = api(companion.url);
      const posted = await http.post('/server/events', [visitStarted(c), signIn(c, { userId: 'ann', firstName: 'Ann', lastName: 'Lee' })]);
      expect(posted.status).toBe(200);
      expect(posted.body.accepted).toBe(2);
      // A refused unsafe identifier before the restart must not leave anything behind either.
      expect((await http.post('/server/events', signIn(c, { userId: '__proto__' }))).status).toBe(400);
      expect((await http.get('/server/data/identities')).status).toBe(200);
    } finally {
      await companion.close();
    }

    companion = await testCompanion({ dataDir });
    try {
      const http = api(companion.url);
      const list = await http.get('/server/data/identities');
      expect(list.status).toBe(200);
      expect(list.body.map((i: any) => [i.identityId, i.name, i.visitScope])).toEqual([['ann', 'Ann Lee', 'Authenticated']]);
      const one = await http.get('/server/data/identities/ann?include_visits=true');
      expect(one.status).toBe(200);
      expect(one.body).toHaveLength(1);
      expect(one.body[0].visitIds).toEqual(['restart-visit']);
      expect((await http.get('/lab/health')).body.counts.identities).toBe(1);
      expect((await http.get('/server/data/visits/restart-visit')).body.identityIds).toEqual(['ann']);
    } finally {
      await companion.close();
    }
  });
});
