// GET /lab/visits (the web app's visits list): newest first, filtered by visitor state,
// identity and url, a page at a time with Paging-Next as the History API; bad parameters are a
// 400 naming them. GET /lab/changes: the counter the app polls.
import { beforeAll, describe, expect, it } from 'vitest';
import { newestEntriesOf, newestFirst } from '../../companion/server/lab-visits';
import type { VisitRecord } from '../../companion/engine';
import { useCompanion } from '../helpers/use-companion';
import { pageEntered, signIn, signOut, userInfo, visitCtx, visitStarted } from '../helpers/events';

const ids = (body: Array<{ visitId: string }>) => body.map((v) => v.visitId);

describe('GET /lab/visits', () => {
  const lab = useCompanion({}, 'all');

  beforeAll(async () => {
    // a: anonymous on /home; b: signed in as ann (Authenticated) on /cart; c: ann again, then
    // signed out and recognized by UserInfo; d..h: anonymous, for paging.
    const a = visitCtx('lv-a');
    const b = visitCtx('lv-b');
    b.sessionID = 'lv-s1';
    const c = visitCtx('lv-c');
    c.sessionID = 'lv-s2';
    const events = [
      visitStarted(a), pageEntered(a, 'p1', 'http://shop.test/home', 'Home'),
      visitStarted(b), pageEntered(b, 'p1', 'http://shop.test/home', 'Home'), pageEntered(b, 'p2', 'http://shop.test/cart', 'Cart'),
      signIn(b, { email: 'ann@shop.test' }, 'p2'),
      visitStarted(c), pageEntered(c, 'p1', 'http://shop.test/login', 'Login'), signIn(c, { email: 'ANN@shop.test' }),
      signOut(c), userInfo(c, 'ann@shop.test'),
    ];
    for (const name of ['d', 'e', 'f', 'g', 'h']) events.push(visitStarted(visitCtx(`lv-${name}`)));
    const res = await lab.http.post('/server/events', events);
    expect(res.body.accepted).toBe(events.length);
  });

  it('lists every visit newest first, with what the list shows', async () => {
    const res = await lab.http.get('/lab/visits');
    expect(res.status).toBe(200);
    expect(ids(res.body)).toEqual(['lv-h', 'lv-g', 'lv-f', 'lv-e', 'lv-d', 'lv-c', 'lv-b', 'lv-a']);
    const b = res.body.find((v: { visitId: string }) => v.visitId === 'lv-b');
    expect(b).toMatchObject({
      visitId: 'lv-b',
      globalVisitID: 'g-lv-b',
      endDate: 0,
      visitorState: 'Authenticated',
      activeSessionId: 'lv-s1',
      identityIds: ['ann@shop.test'],
      pageCount: 2,
      eventCount: 4,
      firstPage: { url: 'http://shop.test/home', title: 'Home' },
      lastPage: { url: 'http://shop.test/cart', title: 'Cart' },
    });
    // The same state as the History API's visit.
    expect((await lab.http.get('/server/data/visits/lv-c')).body.visitorState).toBe(res.body.find((v: { visitId: string }) => v.visitId === 'lv-c').visitorState);
  });

  it('filters by visitorState, identityId (as typed or canonical) and a part of a page url', async () => {
    expect(ids((await lab.http.get('/lab/visits?visitorState=Authenticated')).body)).toEqual(['lv-b']);
    expect(ids((await lab.http.get('/lab/visits?visitorState=Recognized')).body)).toEqual(['lv-c']);
    expect(ids((await lab.http.get('/lab/visits?visitorState=Anonymous')).body)).toEqual(['lv-h', 'lv-g', 'lv-f', 'lv-e', 'lv-d', 'lv-a']);
    expect(ids((await lab.http.get('/lab/visits?identityId=ann%40shop.test')).body)).toEqual(['lv-c', 'lv-b']);
    expect(ids((await lab.http.get('/lab/visits?identityId=ANN%40shop.test')).body)).toEqual(['lv-c', 'lv-b']);
    expect((await lab.http.get('/lab/visits?identityId=nobody%40shop.test')).body).toEqual([]);
    expect(ids((await lab.http.get('/lab/visits?url=%2Fcart')).body)).toEqual(['lv-b']);
    expect(ids((await lab.http.get('/lab/visits?url=shop.test%2Fhome')).body)).toEqual(['lv-b', 'lv-a']);
    expect(ids((await lab.http.get('/lab/visits?url=%2Fhome&visitorState=Anonymous')).body)).toEqual(['lv-a']);
    expect(ids((await lab.http.get('/lab/visits?identityId=ann%40shop.test&visitorState=Authenticated')).body)).toEqual(['lv-b']);
  });

  it('pages with page_size and Paging-Next: every visit once, newest first, keys stable as visits arrive', async () => {
    const first = await lab.http.get('/lab/visits?page_size=3');
    expect(ids(first.body)).toEqual(['lv-h', 'lv-g', 'lv-f']);
    const key = first.headers.get('paging-next')!;
    expect(key).toBeTruthy();
    // A new visit arrives between two pages: the walk goes on where it was.
    await lab.http.post('/server/events', [visitStarted(visitCtx('lv-late'))]);
    const seen = [...ids(first.body)];
    let next: string | null = key;
    while (next) {
      const res = await lab.http.get(`/lab/visits?page_size=3&page_key=${next}`);
      expect(res.status).toBe(200);
      seen.push(...ids(res.body));
      next = res.headers.get('paging-next');
    }
    expect(seen).toEqual(['lv-h', 'lv-g', 'lv-f', 'lv-e', 'lv-d', 'lv-c', 'lv-b', 'lv-a']);
    expect(ids((await lab.http.get('/lab/visits?page_size=1')).body)).toEqual(['lv-late']);
    // The last page has no key.
    const filtered = await lab.http.get('/lab/visits?visitorState=Recognized&page_size=1');
    expect(filtered.headers.get('paging-next')).toBeNull();
  });

  it.each([
    ['visitorState=Nobody', 'visitorState'],
    ['visitorState=', 'visitorState'],
    ['identityId=', 'identityId'],
    ['url=', 'url'],
    ['page_size=0', 'page_size'],
    ['page_size=1001', 'page_size'],
    ['page_size=abc', 'page_size'],
    ['page_key=bm90LWEta2V5', 'page_key'],
    ['page_key=%25%25', 'page_key'],
    ['page_key=OTk5Omx2LWE', 'page_key'], // "999:lv-a": well formed, but lv-a is not at 999 (in either store's positions)
    ['visitorState=Anonymous&visitorState=Recognized', 'visitorState'],
    ['visitId=lv-a', 'visitId'],
  ])('?%s is a 400 naming %s', async (query, field) => {
    const res = await lab.http.get(`/lab/visits?${query}`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'bad_request', field });
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
  });

  it('a key from another list (the identity filter walks its own) is refused, not misread', async () => {
    const page = await lab.http.get('/lab/visits?identityId=ann%40shop.test&page_size=1');
    const key = page.headers.get('paging-next')!;
    const res = await lab.http.get(`/lab/visits?page_size=1&page_key=${key}`);
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('page_key');
  });
});

describe('GET /lab/changes', () => {
  const lab = useCompanion({}, 'all');

  it('moves when events, contacts or a reset are stored, and not otherwise; takes no parameters', async () => {
    const before = (await lab.http.get('/lab/changes')).body;
    expect(before).toEqual({ seq: expect.any(Number), visits: 0 });
    expect((await lab.http.get('/lab/changes')).body).toEqual(before);
    await lab.http.get('/lab/visits');
    expect((await lab.http.get('/lab/changes')).body).toEqual(before);
    await lab.http.post('/server/events', [visitStarted(visitCtx('ch-1'))]);
    const afterEvent = (await lab.http.get('/lab/changes')).body;
    expect(afterEvent.seq).toBeGreaterThan(before.seq);
    expect(afterEvent.visits).toBe(1);
    await lab.http.post('/lab/contacts', { email: 'ch@shop.test' });
    const afterContact = (await lab.http.get('/lab/changes')).body;
    expect(afterContact.seq).toBeGreaterThan(afterEvent.seq);
    await lab.http.post('/lab/reset', '');
    const afterReset = (await lab.http.get('/lab/changes')).body;
    expect(afterReset.seq).toBeGreaterThan(afterContact.seq);
    expect(afterReset.visits).toBe(0);
    const bad = await lab.http.get('/lab/changes?since=1');
    expect({ status: bad.status, field: bad.body.field }).toEqual({ status: 400, field: 'since' });
    const empty = await lab.http.get('/lab/changes?visitId=');
    expect({ status: empty.status, field: empty.body.field }).toEqual({ status: 400, field: 'visitId' });
  });

  it('with visitId, says what of that visit changed: its counts and state move with its own events only', async () => {
    const a = visitCtx('ch-a');
    await lab.http.post('/server/events', [visitStarted(a, { pageID: 'p1' }), pageEntered(a, 'p1')]);
    const first = (await lab.http.get('/lab/changes?visitId=ch-a')).body;
    expect(first.visit).toEqual({ events: 2, pages: 1, visitorState: 'Anonymous', endDate: 0 });
    // Another visit's events move seq, not this visit's part.
    await lab.http.post('/server/events', [visitStarted(visitCtx('ch-b'))]);
    const other = (await lab.http.get('/lab/changes?visitId=ch-a')).body;
    expect(other.seq).toBeGreaterThan(first.seq);
    expect(other.visit).toEqual(first.visit);
    a.sessionID = 'ch-s';
    await lab.http.post('/server/events', [signIn(a, { email: 'ch@shop.test' })]);
    expect((await lab.http.get('/lab/changes?visitId=ch-a')).body.visit).toEqual({ events: 3, pages: 1, visitorState: 'Authenticated', endDate: 0 });
    expect((await lab.http.get('/lab/changes?visitId=nope')).body.visit).toBeNull();
  });
});

describe('newestFirst: the bounded walk', () => {
  const visits = Array.from({ length: 10 }, (_, i) => ({ visitId: `w${i}` }) as VisitRecord);
  const list = newestEntriesOf(visits.map((v) => v.visitId));
  const get = (id: string) => visits[Number(id.slice(1))];

  it('stops after `limit` units of work with a key to go on from, even having found nothing', () => {
    const none = () => ({ ok: false, cost: 1 });
    const page = newestFirst(list, get, none, 5, undefined, 6);
    expect(page.visits).toEqual([]);
    expect(page.next).toBeTruthy();
    // Going on from the key covers the rest, and ends without one.
    const rest = newestFirst(list, get, none, 5, page.next!, 100);
    expect(rest).toEqual({ visits: [], next: null });
  });

  it('counts what the filter read: a filter that reads a visit\'s pages ends the page sooner', () => {
    const every = () => ({ ok: true, cost: 0 });
    expect(newestFirst(list, get, every, 100, undefined, 4).visits.map((v) => v.visitId)).toEqual(['w9', 'w8', 'w7', 'w6']);
    const heavy = () => ({ ok: true, cost: 3 });
    const page = newestFirst(list, get, heavy, 100, undefined, 8);
    expect(page.visits.map((v) => v.visitId)).toEqual(['w9', 'w8']);
    expect(newestFirst(list, get, heavy, 100, page.next!, 8).visits.map((v) => v.visitId)).toEqual(['w7', 'w6']);
  });
});
