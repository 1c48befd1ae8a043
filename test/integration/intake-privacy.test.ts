// Under --auth, intake (open to all) must not answer what History (closed) would: whether an
// eventID is stored. Without credentials an event stored before is `accepted`, as it is stored
// either way; with them, and without --auth, it is `duplicate`.
import { describe, expect, it } from 'vitest';
import { useCompanion } from '../helpers/use-companion';
import { pageEntered, visitCtx, visitStarted } from '../helpers/events';
import { basic } from '../helpers/http';

describe('intake under --auth', () => {
  const lab = useCompanion({ auth: 'lab:s3cret' }, 'all');
  const auth = basic('lab:s3cret');
  const stored = async () => (await lab.http.get('/lab/health', auth)).body.counts.events as number;

  it('tells a caller without credentials "accepted" for an eventID already stored, storing it once', async () => {
    const c = visitCtx('priv-visit');
    const first = [visitStarted(c), pageEntered(c, 'p1')];
    const res = await lab.http.post('/server/events', first);
    expect(res.body).toMatchObject({ accepted: 2, duplicate: 0 });
    const again = await lab.http.post('/server/events', [...first, pageEntered(c, 'p2')]);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({
      accepted: 3,
      duplicate: 0,
      rejected: 0,
      results: [
        { index: 0, eventID: first[0].eventID, status: 'accepted' },
        { index: 1, eventID: first[1].eventID, status: 'accepted' },
        { index: 2, eventID: expect.any(String), status: 'accepted' },
      ],
    });
    expect(await stored()).toBe(3);
  });

  it('answers a stored eventID and a new one alike without credentials (and with wrong ones)', async () => {
    const c = visitCtx('priv-probe');
    const known = visitStarted(c);
    await lab.http.post('/server/events', known);
    const unknown = visitStarted(visitCtx('priv-probe-new'));
    for (const headers of [{}, basic('lab:wrong')]) {
      const a = await lab.http.post('/server/events', known, headers);
      const b = await lab.http.post('/server/events', { ...unknown, eventID: `${unknown.eventID}-${Object.keys(headers).length}` }, headers);
      expect(a.status).toBe(b.status);
      expect(a.body.results[0].status).toBe('accepted');
      expect(b.body.results[0].status).toBe('accepted');
    }
  });

  it('tells a caller with the credentials "duplicate"', async () => {
    const c = visitCtx('priv-auth');
    const e = visitStarted(c);
    await lab.http.post('/server/events', e, auth);
    const again = await lab.http.post('/server/events', [e, e], auth);
    expect(again.body).toMatchObject({ accepted: 0, duplicate: 2, results: [{ status: 'duplicate' }, { status: 'duplicate' }] });
  });

  it('still rejects invalid events the same way (400 when all are)', async () => {
    const res = await lab.http.post('/server/events', [{ eventType: 'nope' }]);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ accepted: 0, duplicate: 0, rejected: 1 });
  });
});

describe('intake without --auth', () => {
  const lab = useCompanion({}, 'all');

  it('answers "duplicate" for an eventID already stored: nothing is closed to hide', async () => {
    const e = visitStarted(visitCtx('priv-open'));
    await lab.http.post('/server/events', e);
    const again = await lab.http.post('/server/events', e);
    expect(again.body).toMatchObject({ accepted: 0, duplicate: 1, results: [{ status: 'duplicate' }] });
  });
});
