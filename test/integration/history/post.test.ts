// The History API's POSTs (contract section 4, docs/api.md): creating a visit and posting events
// to it, on a companion of their own (the shared story is not needed here).
import { describe, expect, it } from 'vitest';
import { useCompanion } from '../../helpers/use-companion';
import { SHOP, uaId, expectNoContent } from './story';

describe('POST /server/data/visits and /visits/{visitId}/events', () => {
  const lab = useCompanion({}, 'all');

  it('creates a visit: 201, Location, the visit resource; 409 when it exists', async () => {
    const startDate = Date.now() - 5_000;
    const res = await lab.http.post('/server/data/visits', { visitId: 'api-visit', globalVisitID: 'api-gvid', startDate, userAgent: 'curl/8.5.0' });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe('/server/data/visits/api-visit');
    expect(res.body).toEqual({
      visitId: 'api-visit',
      globalVisitID: 'api-gvid',
      startDate,
      endDate: 0,
      userAgentId: uaId('curl/8.5.0'),
      userAgent: 'curl/8.5.0',
      visitorState: 'Anonymous',
      activeSessionId: null,
      identityIds: [],
      eventIds: null,
      events: null,
      pageIds: null,
      pages: null,
    });
    const got = await lab.http.get(res.headers.get('location')!);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);

    const again = await lab.http.post('/server/data/visits', { visitId: 'api-visit' });
    expect(again.status).toBe(409);
    expect(again.body.error).toBe('conflict');
    expect(again.body.field).toBe('visitId');
    expect((await lab.http.get('/server/data/visits/api-visit')).body.globalVisitID).toBe('api-gvid');
  });

  it('creates a visit with generated ids from an empty object', async () => {
    const before = Date.now();
    const res = await lab.http.post('/server/data/visits', {}, { 'user-agent': 'visitor-lab-test/1' });
    expect(res.status).toBe(201);
    expect(res.body.visitId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.globalVisitID).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.globalVisitID).not.toBe(res.body.visitId);
    expect(res.body.startDate).toBeGreaterThanOrEqual(before);
    expect(res.body.userAgent).toBe('visitor-lab-test/1');
    expect(res.headers.get('location')).toBe(`/server/data/visits/${res.body.visitId}`);
    expect((await lab.http.get(res.headers.get('location')!)).status).toBe(200);
  });

  it.each([
    [{ visitId: '' }, 'visitId'],
    [{ visitId: 42 }, 'visitId'],
    [{ visitId: '__proto__' }, 'visitId'],
    [{ globalVisitID: { a: 1 } }, 'globalVisitID'],
    [{ startDate: 'yesterday' }, 'startDate'],
    [{ startDate: -1 }, 'startDate'],
    [{ userAgent: 7 }, 'userAgent'],
    [[{ visitId: 'in-array' }], 'body'],
    ['"just text"', 'body'],
    ['{"visitId":', 'body'],
  ])('POST /visits %j -> 400 naming %s', async (body, field) => {
    const before = (await lab.http.get('/lab/health')).body.counts.visits;
    const res = await lab.http.post('/server/data/visits', body);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('bad_request');
    expect(res.body.field).toBe(field);
    expect((await lab.http.get('/lab/health')).body.counts.visits).toBe(before);
  });

  it('POSTs events to a visit: 201, visitID and globalVisitID filled in, eventID and timestamp defaulted', async () => {
    await lab.http.post('/server/data/visits', { visitId: 'api-events', globalVisitID: 'api-events-gvid', startDate: Date.now() - 10_000 });
    const before = Date.now();
    const res = await lab.http.post('/server/data/visits/api-events/events', [
      { eventType: 'SYSTEM', eventName: 'PageEntered', pageID: 'pg1', url: `${SHOP}/help`, data: { title: 'Help' } },
      { eventType: 'BUSINESS', eventName: 'ChatRequested', eventID: 'chat-1', pageID: 'pg1', category: 'support;chat', timestamp: before - 100 },
    ]);
    const after = Date.now();
    expect(res.status).toBe(201);
    expect(res.body.accepted).toBe(2);
    expect(res.body.results[0].status).toBe('accepted');
    expect(res.body.results[0].eventID).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.results[1]).toMatchObject({ index: 1, eventID: 'chat-1', status: 'accepted' });

    const stored = (await lab.http.get('/server/data/visits/api-events/events')).body;
    expect(stored).toHaveLength(2);
    for (const e of stored) {
      expect(e.visitID).toBe('api-events');
      expect(e.globalVisitID).toBe('api-events-gvid');
      expect(e.browserPageID).toBe('pg1');
      expect(e.serverTimestamp).toBeGreaterThanOrEqual(before);
      expect(e.serverTimestamp).toBeLessThanOrEqual(after);
    }
    expect(stored[0].eventID).toBe(res.body.results[0].eventID);
    expect(stored[0].timestamp).toBeGreaterThanOrEqual(before);
    expect(stored[0].timestamp).toBeLessThanOrEqual(after);
    expect(stored[1].timestamp).toBe(before - 100);
    const pages = (await lab.http.get('/server/data/visits/api-events/pages?include_events=true')).body;
    expect(pages.map((pg: any) => [pg.pageId, pg.title, pg.eventIds.length])).toEqual([['api-events:pg1', 'Help', 2]]);
    // The same event again is a duplicate, as on intake; another event under its eventID (here
    // without its page) is refused.
    const chat = { eventType: 'BUSINESS', eventName: 'ChatRequested', eventID: 'chat-1', pageID: 'pg1', category: 'support;chat', timestamp: before - 100 };
    const dup = await lab.http.post('/server/data/visits/api-events/events', chat);
    expect(dup.status).toBe(201);
    expect(dup.body).toMatchObject({ accepted: 0, duplicate: 1, rejected: 0, results: [{ index: 0, eventID: 'chat-1', status: 'duplicate' }] });
    const other = await lab.http.post('/server/data/visits/api-events/events', { eventType: 'BUSINESS', eventName: 'ChatRequested', eventID: 'chat-1' });
    expect(other.status).toBe(400);
    expect(other.body).toMatchObject({ field: 'eventID', results: [{ status: 'rejected', field: 'eventID', reason: expect.stringContaining('its pageID differs') }] });
  });

  it('takes the globalVisitID from the visit, not from the posted event', async () => {
    await lab.http.post('/server/data/visits', { visitId: 'api-gv', globalVisitID: 'api-gv-real' });
    const res = await lab.http.post('/server/data/visits/api-gv/events', {
      eventType: 'BUSINESS',
      eventName: 'Promo',
      eventID: 'gv-1',
      globalVisitID: 'some-other-browser',
    });
    // docs/api.md: "visitID and globalVisitID are taken from the visit". A refusal naming the
    // field would also keep the visit consistent; storing the foreign id would not.
    if (res.status === 400) {
      expect(res.body.field).toBe('globalVisitID');
      expectNoContent(await lab.http.get('/server/data/visits/api-gv/events'));
    } else {
      expect(res.status).toBe(201);
      const stored = (await lab.http.get('/server/data/visits/api-gv/events')).body;
      expect(stored.map((e: any) => [e.eventID, e.globalVisitID])).toEqual([['gv-1', 'api-gv-real']]);
    }
  });

  it('answers 404 for an unknown visit, storing nothing', async () => {
    const before = (await lab.http.get('/lab/health')).body.counts;
    const res = await lab.http.post('/server/data/visits/ghost/events', { eventType: 'BUSINESS', eventName: 'X' });
    expect(res.status).toBe(404);
    expect(res.body.error).toBe('not_found');
    expect((await lab.http.get('/lab/health')).body.counts).toEqual(before);
    expect((await lab.http.get('/server/data/visits/ghost')).status).toBe(404);
  });

  it('answers 400 for a visitID that is not the visit in the URL, storing nothing', async () => {
    await lab.http.post('/server/data/visits', { visitId: 'api-mismatch' });
    const single = await lab.http.post('/server/data/visits/api-mismatch/events', { eventType: 'BUSINESS', eventName: 'X', visitID: 'other' });
    expect(single.status).toBe(400);
    expect(single.body.field).toBe('visitID');
    const list = await lab.http.post('/server/data/visits/api-mismatch/events', [
      { eventType: 'BUSINESS', eventName: 'Fine', eventID: 'fine-1' },
      { eventType: 'BUSINESS', eventName: 'X', visitID: 'other' },
    ]);
    expect(list.status).toBe(400);
    expect(list.body.field).toBe('[1].visitID');
    expectNoContent(await lab.http.get('/server/data/visits/api-mismatch/events'));
    // The visit's own id is fine.
    const same = await lab.http.post('/server/data/visits/api-mismatch/events', { eventType: 'BUSINESS', eventName: 'X', visitID: 'api-mismatch' });
    expect(same.status).toBe(201);
  });

  it('answers 400 with the field when every event is rejected', async () => {
    await lab.http.post('/server/data/visits', { visitId: 'api-rejected' });
    const res = await lab.http.post('/server/data/visits/api-rejected/events', [{ eventName: 'X' }, { eventType: 'SYSTEM', eventName: 'SignIn', data: { userId: '__proto__' } }]);
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('eventType');
    expect(res.body.results.map((r: any) => r.field)).toEqual(['eventType', 'data.userId']);
    expectNoContent(await lab.http.get('/server/data/visits/api-rejected/events'));
    const empty = await lab.http.post('/server/data/visits/api-rejected/events', []);
    expect(empty.status).toBe(400);
    expect(empty.body.field).toBe('body');
  });
});

describe('POST /server/data/visits: races and refused bodies', () => {
  const lab = useCompanion({}, 'all');

  const visitCount = async () => (await lab.http.get('/lab/health')).body.counts.visits as number;

  it('five concurrent POSTs of one visitId: exactly one 201, four 409, one visit more', async () => {
    const before = await visitCount();
    const answers = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => lab.http.post('/server/data/visits', { visitId: 'race-visit', globalVisitID: `race-g${n}`, userAgent: `racer/${n}` })),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(4);
    for (const a of answers.filter((x) => x.status === 409)) {
      expect(a.body.error).toBe('conflict');
      expect(a.body.field).toBe('visitId');
    }
    const winner = answers.find((a) => a.status === 201)!;
    expect(winner.headers.get('location')).toBe('/server/data/visits/race-visit');
    expect(await visitCount()).toBe(before + 1);
    // The stored visit is the winner's, whole.
    const got = await lab.http.get('/server/data/visits/race-visit');
    expect(got.status).toBe(200);
    expect(got.body).toEqual(winner.body);
    const listed = (await lab.http.get('/server/data/visits?globalVisitID=' + winner.body.globalVisitID)).body;
    expect(listed.map((v: any) => v.visitId)).toEqual(['race-visit']);
  });

  it('an unknown field -> 400 naming that field, nothing stored', async () => {
    const before = await visitCount();
    const res = await lab.http.post('/server/data/visits', { visitId: 'unknown-field', colour: 'red' });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('bad_request');
    expect(res.body.field).toBe('colour');
    expect(await visitCount()).toBe(before);
    expect((await lab.http.get('/server/data/visits/unknown-field')).status).toBe(404);
    // Misspelling a known field is an unknown field too.
    const typo = await lab.http.post('/server/data/visits', { visitID: 'unknown-field' });
    expect(typo.status).toBe(400);
    expect(typo.body.field).toBe('visitID');
    expect(await visitCount()).toBe(before);
  });

  it('a negative startDate -> 400 naming startDate, nothing stored', async () => {
    const before = await visitCount();
    for (const startDate of [-1, -5_000, -Date.now()]) {
      const res = await lab.http.post('/server/data/visits', { visitId: 'negative-start', startDate });
      expect(res.status, String(startDate)).toBe(400);
      expect(res.body.error).toBe('bad_request');
      expect(res.body.field).toBe('startDate');
    }
    expect(await visitCount()).toBe(before);
    expect((await lab.http.get('/server/data/visits/negative-start')).status).toBe(404);
    // startDate 0 is not negative.
    const zero = await lab.http.post('/server/data/visits', { visitId: 'zero-start', startDate: 0 });
    expect(zero.status).toBe(201);
    expect(zero.body.startDate).toBe(0);
  });
});

describe('POST /server/data/visits: a body shaped like GWE\'s visit resource', () => {
  const lab = useCompanion({}, 'all');

  it('is accepted; the server\'s fields are ignored and named in X-Ignored-Fields', async () => {
    const startDate = Date.now() - 60_000;
    const gweVisit = {
      eventIds: ['e-x'], events: [{ eventID: 'e-x' }], pageIds: null, pages: null, sessionIds: null, sessions: null,
      visitId: 'gwe-shaped', startDate, endDate: startDate + 1000, activeSessionId: '00000000-0000-1000-8000-000000000000',
      globalVisitID: 'gwe-g', userAgentId: 'b4ec8ef0-3fa2-11e2-aee5-00505625a04f', userAgent: 'Mozilla/5.0 (GWE)',
    };
    const res = await lab.http.post('/server/data/visits', gweVisit);
    expect(res.status).toBe(201);
    expect(res.headers.get('x-ignored-fields')).toBe('eventIds, events, pageIds, pages, sessionIds, sessions, endDate, activeSessionId, userAgentId');
    expect(res.body).toMatchObject({ visitId: 'gwe-shaped', globalVisitID: 'gwe-g', startDate, endDate: 0, activeSessionId: null, eventIds: null, userAgent: 'Mozilla/5.0 (GWE)' });
    expect(res.body.userAgentId).toBe(uaId('Mozilla/5.0 (GWE)'));
    const events = await lab.http.get('/server/data/visits/gwe-shaped/events');
    expect(events.status).toBe(204);
  });

  it('a body the companion served is accepted back (another id)', async () => {
    const served = (await lab.http.get('/server/data/visits/gwe-shaped?include_events=true&include_pages=true')).body;
    const res = await lab.http.post('/server/data/visits?_=1', { ...served, visitId: 'gwe-copy' });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-ignored-parameters')).toBe('_');
    expect(res.body.globalVisitID).toBe('gwe-g');
  });

  it('a field that is neither the visit\'s nor the server\'s is still a 400 naming it', async () => {
    const res = await lab.http.post('/server/data/visits', { visitId: 'gwe-typo', endDate: 5, visitID: 'x' });
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('visitID');
    expect((await lab.http.get('/server/data/visits/gwe-typo')).status).toBe(404);
  });
});
