// A story for the export/import tests: contacts, two visits of two people (SignIn, UserInfo,
// SignOut, business events, several requests, one of them mixing both visits) and everything
// the History API answers about it, to compare before and after an import.
import { expect } from 'vitest';
import type { Api } from '../helpers/companion';
import { ev, pageEntered, pageExited, signIn, signOut, userInfo, visitCtx, visitStarted } from '../helpers/events';

export interface Story {
  visitIds: string[];
  identityIds: string[];
}

export async function tellStory(http: Api, options: { contacts?: boolean; eventlessVisit?: boolean } = {}): Promise<Story> {
  const ok = (r: { status: number; body: unknown }) => expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
  if (options.contacts) ok(await http.post('/lab/contacts', [{ email: 'ann@shop.test', firstName: 'Ann', lastName: 'Lee' }, { userId: 'bob-7', phone: '+1 555 0100' }]));
  const a = visitCtx('story-a', 'g-story-a');
  const b = visitCtx('story-b', 'g-story-b');
  ok(await http.post('/server/events', [visitStarted(a), pageEntered(a, 'p1', 'http://shop.test/', 'Home')], { 'user-agent': 'UA-Ann/1.0' }));
  ok(await http.post('/server/events', [signIn(a, { email: 'Ann@Shop.test', firstName: 'Ann' }), ev(a, 'AddToCart', { pageID: 'p1', category: 'cart', data: { sku: '42', note: 'a,b "c"' } })], { 'user-agent': 'UA-Ann/1.0' }));
  ok(await http.post('/server/events', [visitStarted(b), pageEntered(b, 'p1'), userInfo(b, 'bob-7')], { 'user-agent': 'UA-Bob/2.0' }));
  // One request with both visits' events (a shared browser): the export groups it as it can.
  ok(await http.post('/server/events', [pageExited(a, 'p1'), pageEntered(b, 'p2'), pageEntered(a, 'p2', 'http://shop.test/cart', 'Cart')], { 'user-agent': 'UA-Ann/1.0' }));
  ok(await http.post('/server/events', [signIn(b, { userId: 'bob-7', lastName: 'Ray' }, 'p2'), signOut(a, 'p2')], { 'user-agent': 'UA-Bob/2.0' }));
  ok(await http.post('/server/events', [ev(b, 'Search', { pageID: 'p2', data: { q: '=1+2' } })], { 'user-agent': 'UA-Bob/2.0' }));
  const visitIds = ['story-a', 'story-b'];
  if (options.eventlessVisit) {
    ok(await http.post('/server/data/visits', { visitId: 'story-empty', globalVisitID: 'g-empty', startDate: Date.now() - 5000, userAgent: 'UA-None' }));
    visitIds.push('story-empty');
  }
  return { visitIds, identityIds: ['ann@shop.test', 'bob-7'] };
}

/** Everything the History API (and the contact directory) says about the story. */
export async function historyOf(http: Api, story: Story): Promise<Record<string, unknown>> {
  const paths = [
    '/server/data/visits?page_size=1000&include_pages_detail=true&include_events_detail=true',
    '/server/data/identities?page_size=1000&include_visits_detail=true',
    '/lab/contacts?page_size=1000',
    ...story.visitIds.flatMap((v) => [
      `/server/data/visits/${v}?include_pages_detail=true&include_events_detail=true`,
      `/server/data/visits/${v}/events?page_size=1000`,
      `/server/data/visits/${v}/pages?page_size=1000&include_events=true`,
      `/server/data/visits/${v}/identities?page_size=1000`,
    ]),
    ...story.identityIds.flatMap((i) => [
      `/server/data/identities/${encodeURIComponent(i)}?include_visits=true&include_pages=true&include_events=true`,
      `/server/data/identities/${encodeURIComponent(i)}/events?page_size=1000`,
    ]),
  ];
  const out: Record<string, unknown> = {};
  for (const p of paths) {
    const r = await http.get(p);
    expect([200, 204], `${p}: ${JSON.stringify(r.body)}`).toContain(r.status);
    out[p] = r.body;
  }
  return out;
}

export async function countsOf(http: Api): Promise<Record<string, number>> {
  return (await http.get('/lab/health')).body.counts;
}
