// Over real HTTP, the three decisions of docs/identification.md ("Clocks, identifiers and
// eventIDs"): a timestamp far ahead is stored with a warning and cannot pin its visit; an
// identifier names one identity whatever its case (email), width or Unicode form; an eventID
// reused by another event is refused, a resend (even stamped anew) stays a duplicate.
import { describe, expect, it } from 'vitest';
import { counts, storedEvents } from '../helpers/lab';
import { useCompanion } from '../helpers/use-companion';
import { ev, pageEntered, signIn, signOut, visitCtx, visitStarted } from '../helpers/events';
import { basic } from '../helpers/http';

const HOUR = 3_600_000;

describe('a timestamp far ahead of the companion', () => {
  const lines: string[] = [];
  const lab = useCompanion({ logIntake: (line) => lines.push(line) }, 'all');

  it('is refused past 2^63 (GWE could not read it), naming timestamp', async () => {
    const c = visitCtx('far-refused');
    const res = await lab.http.post('/server/events', { ...visitStarted(c), timestamp: 1e300 });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ field: 'timestamp', results: [{ status: 'rejected', field: 'timestamp', reason: expect.stringContaining('2^63') }] });
  });

  it('is stored as sent with a warning, and the visit counts it at most an hour after it arrived', async () => {
    const c = visitCtx('far-visit');
    const start = { ...visitStarted(c), timestamp: 1e15 };
    const page = { ...pageEntered(c, 'p1'), timestamp: 1e15 + 1 };
    const before = Date.now();
    const res = await lab.http.post('/server/events', [start, page]);
    const after = Date.now();
    expect(res.status).toBe(200);
    expect(res.body.accepted).toBe(2);
    for (const r of res.body.results) {
      expect(r.status).toBe('accepted');
      expect(r.warnings).toEqual([{ field: 'timestamp', reason: expect.stringMatching(/days ahead of the companion's clock.*stored as sent/) }]);
    }
    expect(lines.at(-1)).toMatch(/2 accepted.*warnings: #0 .*timestamp: is .* ahead/);
    // Stored as sent...
    expect((await storedEvents(lab.http, 'far-visit')).map((e) => e.timestamp)).toEqual([1e15, 1e15 + 1]);
    // ...but the visit and its page are dated by the companion's clock plus an hour at most.
    const visit = (await lab.http.get('/server/data/visits/far-visit?include_pages_detail=true')).body;
    for (const date of [visit.startDate, visit.pages[0].startDate]) {
      expect(date).toBeGreaterThanOrEqual(before + HOUR);
      expect(date).toBeLessThanOrEqual(after + HOUR);
    }
  });

  it('has no warning up to an hour ahead', async () => {
    const c = visitCtx('near-visit');
    const res = await lab.http.post('/server/events', { ...visitStarted(c), timestamp: Date.now() + HOUR / 2 });
    expect(res.body.results[0]).toEqual({ index: 0, eventID: expect.any(String), status: 'accepted' });
  });
});

describe('identifiers that differ in case, width or Unicode form', () => {
  const lab = useCompanion({}, 'all');

  it('sign in as one identity with one contact, found by every form a user types', async () => {
    const c = visitCtx('ids-visit');
    await lab.http.post('/server/events', [
      visitStarted(c),
      signIn(c, { email: 'PAT@shop.test', firstName: 'Pat' }),
      signOut(c),
      signIn(c, { email: 'ＰＡＴ＠ｓｈｏｐ．ｔｅｓｔ' }),
      signOut(c),
      signIn(c, { userId: 'pat@shop.test' }),
    ]);
    expect(await counts(lab.http)).toMatchObject({ identities: 1, contacts: 1, sessions: 3 });
    for (const typed of ['pat@shop.test', 'PAT@shop.test', 'Pat@Shop.Test', 'ＰＡＴ＠ｓｈｏｐ．ｔｅｓｔ']) {
      const res = await lab.http.get(`/server/data/identities/${encodeURIComponent(typed)}?include_visits=true`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual([expect.objectContaining({ identityId: 'pat@shop.test', name: 'Pat', visitScope: 'Authenticated', visitIds: ['ids-visit'] })]);
      expect((await lab.http.get(`/server/data/identities/${encodeURIComponent(typed)}/visits`)).status).toBe(200);
    }
  });

  it('keep a userId\'s case: U1 and u1 are two identities, Ｕ１ is U1', async () => {
    const c = visitCtx('ids-case');
    await lab.http.post('/server/events', [visitStarted(c), signIn(c, { userId: 'U1' }), signIn(c, { userId: 'u1' }), signIn(c, { userId: 'Ｕ１' })]);
    const ids = (await lab.http.get('/server/data/visits/ids-case/identities')).body.map((i: { identityId: string }) => i.identityId);
    expect(ids.sort()).toEqual(['U1', 'u1']);
    expect((await lab.http.get(`/server/data/identities/${encodeURIComponent('Ｕ１')}`)).body[0].identityId).toBe('U1');
    expect((await lab.http.get('/server/data/identities/u2')).status).toBe(404);
  });
});

describe('an eventID reused by another event', () => {
  const lines: string[] = [];
  const lab = useCompanion({ logIntake: (line) => lines.push(line) }, 'all');

  it('is refused naming eventID and the visit that has it; a resend is a duplicate', async () => {
    const a = visitCtx('reuse-a');
    const b = visitCtx('reuse-b');
    const first = visitStarted(a);
    await lab.http.post('/server/events', first);
    const other = { ...visitStarted(b), eventID: first.eventID };
    const res = await lab.http.post('/server/events', other);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      field: 'eventID',
      accepted: 0,
      duplicate: 0,
      rejected: 1,
      results: [{ index: 0, eventID: first.eventID, status: 'rejected', field: 'eventID', reason: expect.stringContaining('another visit (reuse-a)') }],
    });
    expect(lines.at(-1)).toMatch(/1 rejected.*eventID: is already used/);
    expect((await lab.http.get('/server/data/visits/reuse-b')).status).toBe(404);
    // The same event again, and alongside a new one: duplicate, as before.
    const again = await lab.http.post('/server/events', [first, ev(a, 'Buy')]);
    expect(again.body).toMatchObject({ accepted: 1, duplicate: 1, rejected: 0 });
  });

  it('in the same visit with other content, and twice in one request, naming the field that differs', async () => {
    const c = visitCtx('reuse-same');
    const start = visitStarted(c);
    const buy = ev(c, 'Buy', { pageID: 'p1', data: { sku: '1', tags: ['a', 'b'] } });
    await lab.http.post('/server/events', [start, buy]);
    const res = await lab.http.post('/server/events', [
      { ...buy, data: { tags: ['a', 'b'], sku: '1' } }, // the same data, keys in another order: a resend
      { ...buy, data: { sku: '2', tags: ['a', 'b'] } },
      { ...buy, pageID: 'p2' },
      { ...buy, eventType: 'SYSTEM', eventName: 'SignOut' },
    ]);
    expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(['duplicate', 'rejected', 'rejected', 'rejected']);
    expect(res.body.results[1].reason).toContain('another event of this visit (its data differs)');
    expect(res.body.results[2].reason).toContain('(its pageID differs)');
    expect(res.body.results[3].reason).toContain('(its eventType differs)');
    const fresh = ev(c, 'Look');
    const batch = await lab.http.post('/server/events', [fresh, fresh, { ...fresh, eventName: 'Other' }]);
    expect(batch.body.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'duplicate', 'rejected']);
    expect(batch.body.results[2].reason).toContain('(its eventName differs)');
    expect((await storedEvents(lab.http, 'reuse-same')).map((e) => e.eventName)).toEqual(['VisitStarted', 'Buy', 'Look']);
  });

  it('stamped anew (time, url, session, language, category) is the same event: a duplicate, the first kept', async () => {
    const c = visitCtx('reuse-restamped');
    const exit = ev(c, 'PageExited', { pageID: 'p1', eventID: 'p1.exit', url: 'http://shop.test/a' });
    await lab.http.post('/server/events', [visitStarted(c), exit]);
    // As the extension sends a closed tab's PageExited again, built with the time of closing.
    const again = { ...exit, timestamp: exit.timestamp + 5000, url: 'http://shop.test/b', sessionID: 's9', languageCode: 'fr', category: 'x' };
    const res = await lab.http.post('/server/events', again);
    expect(res.body).toMatchObject({ duplicate: 1, results: [{ status: 'duplicate' }] });
    expect((await storedEvents(lab.http, 'reuse-restamped'))[1]).toMatchObject({ timestamp: exit.timestamp, url: 'http://shop.test/a' });
  });
});

describe('an eventID reused by another event, under --auth', () => {
  const lab = useCompanion({ auth: 'lab:s3cret' }, 'all');
  const auth = basic('lab:s3cret');

  it('is told as accepted to a caller without credentials, as a new eventID would be, and is not stored', async () => {
    const a = visitCtx('auth-reuse-a');
    const kept = visitStarted(a);
    await lab.http.post('/server/events', kept);
    const reused = { ...visitStarted(visitCtx('auth-reuse-b')), eventID: kept.eventID, timestamp: 1e15 };
    const fresh = { ...visitStarted(visitCtx('auth-reuse-c')), timestamp: 1e15 };
    const r = await lab.http.post('/server/events', reused);
    const f = await lab.http.post('/server/events', fresh);
    expect(r.status).toBe(f.status);
    // Alike but for the eventID, and the moment each request came (in the warning).
    const alike = (body: unknown) => JSON.stringify(body).replaceAll(kept.eventID, 'ID').replaceAll(fresh.eventID, 'ID').replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, 'T');
    expect(alike(r.body)).toBe(alike(f.body));
    expect(r.body.results[0]).toMatchObject({ status: 'accepted', warnings: [{ field: 'timestamp' }] });
    expect((await lab.http.get('/server/data/visits/auth-reuse-b', auth)).status).toBe(404);
    // With the credentials: refused, naming the visit.
    const told = await lab.http.post('/server/events', reused, auth);
    expect(told.status).toBe(400);
    expect(told.body.results[0]).toMatchObject({ status: 'rejected', field: 'eventID', reason: expect.stringContaining('auth-reuse-a') });
  });
});
