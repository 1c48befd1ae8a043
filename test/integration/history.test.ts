// The History REST API (contract section 4, docs/api.md) over real HTTP, after a realistic
// story: Ann browses anonymously, adds to cart, signs in, signs out; she comes back in a second
// visit and the site recognises her (UserInfo). Bob signs in from another browser.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GtEvent } from '../../protocol';
import { api, removeDir, testCompanion, type Api } from '../helpers/companion';
import { ev, visitCtx, type VisitCtx } from '../helpers/events';

type TestCompanion = Awaited<ReturnType<typeof testCompanion>>;

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
const LYNX = 'Lynx/2.9.0 libwww-FM/2.14';
const ANN = 'ann.lee@shop.test';
const ANN_PATH = encodeURIComponent(ANN);
const SHOP = 'http://shop.test';

const uaId = (ua: string) => 'ua-' + createHash('sha1').update(ua).digest('hex').slice(0, 12);

let companion: TestCompanion;
let http: Api;
let testStart: number;

// The story's events, by visit, in the order posted.
const A: GtEvent[] = [];
const B: GtEvent[] = [];
const C: GtEvent[] = [];
const D: GtEvent[] = [];
const byName: Record<string, GtEvent> = {};
// Visit resources captured at each step of the story.
const snapshots: Record<string, { visit: any; identity?: any; assoc?: any }> = {};

function at(c: VisitCtx, list: GtEvent[], key: string, name: string, extra: Partial<GtEvent>): GtEvent {
  const e = ev(c, name, extra);
  list.push(e);
  byName[key] = e;
  return e;
}

async function post(events: GtEvent[]): Promise<void> {
  const res = await http.post('/server/events', events);
  expect(res.status).toBe(200);
  expect(res.body.accepted).toBe(events.length);
}

async function visitNow(id: string): Promise<any> {
  const res = await http.get(`/server/data/visits/${id}`);
  expect(res.status).toBe(200);
  return res.body;
}

const ids = (list: GtEvent[]) => list.map((e) => e.eventID);

beforeAll(async () => {
  companion = await testCompanion();
  http = api(companion.url);
  testStart = Date.now();

  // Visit A: an hour ago, Firefox. Anonymous browsing, then SignIn, then SignOut.
  const a = visitCtx('visit-A', 'gvid-ann', Date.now() - 3_600_000);
  const a1 = [
    at(a, A, 'A.start', 'VisitStarted', { pageID: 'home', url: `${SHOP}/`, data: { userAgent: FIREFOX } }),
    at(a, A, 'A.enterHome', 'PageEntered', {
      pageID: 'home',
      url: `${SHOP}/`,
      category: 'home;landing',
      data: { title: 'Welcome home', referrer: 'https://search.test/?q=kettle' },
    }),
    at(a, A, 'A.exitHome', 'PageExited', { pageID: 'home', url: `${SHOP}/` }),
    at(a, A, 'A.enterProduct', 'PageEntered', {
      pageID: 'product',
      url: `${SHOP}/products/42`,
      category: 'product;shop',
      data: { title: 'Blue Kettle', referrer: `${SHOP}/` },
    }),
    at(a, A, 'A.addToCart', 'AddToCart', { pageID: 'product', url: `${SHOP}/products/42`, category: 'cart;shop', data: { sku: 'K-42', qty: 1 } }),
  ];
  await post(a1);
  snapshots.anonymous = { visit: await visitNow('visit-A') };

  a.sessionID = 'sess-ann-1';
  const a2 = [
    at(a, A, 'A.signIn', 'SignIn', {
      pageID: 'product',
      url: `${SHOP}/products/42`,
      data: { email: ANN, firstName: 'Ann', lastName: 'Lee', phone: '+1 555-0100', location: 'Lyon, France' },
    }),
    at(a, A, 'A.enterAccount', 'PageEntered', {
      pageID: 'account',
      url: `${SHOP}/account`,
      category: 'account',
      data: { title: 'My account', referrer: `${SHOP}/products/42` },
    }),
  ];
  await post(a2);
  snapshots.signedIn = {
    visit: await visitNow('visit-A'),
    identity: (await http.get(`/server/data/identities/${ANN_PATH}`)).body,
    assoc: (await http.get('/server/data/visits/visit-A/identities?association=Authenticated')).body,
  };

  const a3 = [at(a, A, 'A.signOut', 'SignOut', { pageID: 'account', url: `${SHOP}/account` })];
  a.sessionID = undefined;
  await post(a3);
  snapshots.signedOut = {
    visit: await visitNow('visit-A'),
    identity: (await http.get(`/server/data/identities/${ANN_PATH}`)).body,
  };

  // Visit C: Bob, Chrome, signs in and stays signed in.
  const c = visitCtx('visit-C', 'gvid-bob', Date.now() - 1_800_000);
  await post([
    at(c, C, 'C.start', 'VisitStarted', { pageID: 'landing', url: `${SHOP}/sale`, data: { userAgent: CHROME } }),
    at(c, C, 'C.enterLanding', 'PageEntered', {
      pageID: 'landing',
      url: `${SHOP}/sale`,
      category: 'promo',
      data: { title: 'Summer sale', referrer: '' },
    }),
    at(c, C, 'C.signIn', 'SignIn', {
      pageID: 'landing',
      url: `${SHOP}/sale`,
      data: { userId: 'bob-7', firstName: 'Bob', location: 'Berlin, Germany' },
    }),
  ]);

  // Visit B: Ann comes back in the same browser a minute ago; the site recognises her.
  const b = visitCtx('visit-B', 'gvid-ann', Date.now() - 60_000);
  await post([
    at(b, B, 'B.start', 'VisitStarted', { pageID: 'home', url: `${SHOP}/`, data: { userAgent: FIREFOX } }),
    at(b, B, 'B.enterHome', 'PageEntered', {
      pageID: 'home',
      url: `${SHOP}/`,
      category: 'home;landing',
      data: { title: 'Welcome home', referrer: '' },
    }),
  ]);
  snapshots.returning = { visit: await visitNow('visit-B') };
  await post([
    at(b, B, 'B.userInfo', 'UserInfo', { pageID: 'home', url: `${SHOP}/`, data: { userId: ANN } }),
    at(b, B, 'B.timeout', 'Timeout-30', { pageID: 'home', url: `${SHOP}/`, category: 'engagement' }),
  ]);
  snapshots.recognized = {
    visit: await visitNow('visit-B'),
    identity: (await http.get(`/server/data/identities/${ANN_PATH}`)).body,
  };

  // Visit D: someone else opens the site in a text browser and does nothing more.
  const d = visitCtx('visit-D', 'gvid-lynx', Date.now() - 30_000);
  await post([at(d, D, 'D.start', 'VisitStarted', { pageID: 'p0', url: `${SHOP}/`, data: { userAgent: LYNX } })]);
});

afterAll(async () => {
  await companion?.close();
  if (companion) removeDir(companion.dataDir);
});

const ALL_ANN = () => [...A, ...B];

function expectNoContent(res: { status: number; body: unknown }) {
  expect(res.status).toBe(204);
  expect(res.body).toBeNull();
}

function expectBadParam(res: { status: number; body: any; headers: Headers }, field: string) {
  expect(res.status).toBe(400);
  expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
  expect(res.body.error).toBe('bad_request');
  expect(res.body.field).toBe(field);
  expect(res.body.message).toContain(field);
}

function pageOf(visitId: string, browserPageID: string, enter: GtEvent, exit: GtEvent | null, eventIds: string[] | null = null, events: any = null) {
  return {
    pageId: `${visitId}.${browserPageID}`,
    browserPageID,
    visitId,
    url: enter.url,
    title: (enter.data as any).title,
    referrer: (enter.data as any).referrer,
    category: enter.category,
    startDate: enter.timestamp,
    endDate: exit ? exit.timestamp : 0,
    eventIds,
    events,
  };
}

describe('visitor state through the story', () => {
  it('visit A is Anonymous before SignIn, with no identity', () => {
    expect(snapshots.anonymous.visit).toEqual({
      visitId: 'visit-A',
      globalVisitID: 'gvid-ann',
      startDate: byName['A.start'].timestamp,
      endDate: 0,
      userAgentId: uaId(FIREFOX),
      userAgent: FIREFOX,
      visitorState: 'Anonymous',
      activeSessionId: null,
      identityIds: [],
      eventIds: null,
      events: null,
      pageIds: null,
      pages: null,
    });
  });

  it('SignIn makes visit A Authenticated with the tracker\'s sessionID, and the identity Authenticated', () => {
    expect(snapshots.signedIn.visit.visitorState).toBe('Authenticated');
    expect(snapshots.signedIn.visit.activeSessionId).toBe('sess-ann-1');
    expect(snapshots.signedIn.visit.identityIds).toEqual([ANN]);
    expect(snapshots.signedIn.identity).toHaveLength(1);
    expect(snapshots.signedIn.identity[0].visitScope).toBe('Authenticated');
    expect(snapshots.signedIn.assoc.map((i: any) => [i.identityId, i.visitScope])).toEqual([[ANN, 'Authenticated']]);
  });

  it('SignOut makes visit A Anonymous again, and the identity Recognized', () => {
    expect(snapshots.signedOut.visit.visitorState).toBe('Anonymous');
    expect(snapshots.signedOut.visit.activeSessionId).toBeNull();
    expect(snapshots.signedOut.visit.identityIds).toEqual([ANN]);
    expect(snapshots.signedOut.identity[0].visitScope).toBe('Recognized');
  });

  it('the second visit is Anonymous until UserInfo, then Recognized without a session', () => {
    expect(snapshots.returning.visit.visitorState).toBe('Anonymous');
    expect(snapshots.returning.visit.identityIds).toEqual([]);
    expect(snapshots.recognized.visit.visitorState).toBe('Recognized');
    expect(snapshots.recognized.visit.activeSessionId).toBeNull();
    expect(snapshots.recognized.visit.identityIds).toEqual([ANN]);
    expect(snapshots.recognized.identity[0].visitScope).toBe('Recognized');
  });

  it('each stored event carries the visit\'s state right after it, and sessionID only while signed in', async () => {
    const res = await http.get('/server/data/visits/visit-A/events');
    expect(res.status).toBe(200);
    expect(res.body.map((e: any) => [e.eventName, e.visitorState, e.sessionID ?? null])).toEqual([
      ['VisitStarted', 'Anonymous', null],
      ['PageEntered', 'Anonymous', null],
      ['PageExited', 'Anonymous', null],
      ['PageEntered', 'Anonymous', null],
      ['AddToCart', 'Anonymous', null],
      ['SignIn', 'Authenticated', 'sess-ann-1'],
      ['PageEntered', 'Authenticated', 'sess-ann-1'],
      ['SignOut', 'Anonymous', 'sess-ann-1'],
    ]);
    const b = await http.get('/server/data/visits/visit-B/events');
    expect(b.body.map((e: any) => e.visitorState)).toEqual(['Anonymous', 'Anonymous', 'Recognized', 'Recognized']);
  });

  it('Bob is still Authenticated in visit C', async () => {
    const res = await http.get('/server/data/visits/visit-C');
    expect(res.body.visitorState).toBe('Authenticated');
    expect(res.body.activeSessionId).toBe(`session-${byName['C.signIn'].eventID}`);
  });
});

describe('GET /identities', () => {
  it('lists the identities in creation order, id lists null when not asked', async () => {
    const res = await http.get('/server/data/identities');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('paging-next')).toBeNull();
    expect(res.body).toEqual([
      {
        identityId: ANN,
        name: 'Ann Lee',
        location: 'Lyon, France',
        entityInCS: `contact-${ANN}`,
        visitScope: 'Recognized',
        profile: { email: ANN, firstName: 'Ann', lastName: 'Lee', phone: '+1 555-0100', location: 'Lyon, France', userId: ANN },
        visitIds: null,
        visits: null,
        pageIds: null,
        pages: null,
        eventIds: null,
        events: null,
      },
      {
        identityId: 'bob-7',
        name: 'Bob',
        location: 'Berlin, Germany',
        entityInCS: 'contact-bob-7',
        visitScope: 'Authenticated',
        profile: { userId: 'bob-7', firstName: 'Bob', location: 'Berlin, Germany' },
        visitIds: null,
        visits: null,
        pageIds: null,
        pages: null,
        eventIds: null,
        events: null,
      },
    ]);
  });

  it('filters by location (a part, ignoring case)', async () => {
    expect((await http.get('/server/data/identities?location=lyon')).body.map((i: any) => i.identityId)).toEqual([ANN]);
    expect((await http.get('/server/data/identities?location=GERMANY')).body.map((i: any) => i.identityId)).toEqual(['bob-7']);
    expect((await http.get('/server/data/identities?location=' + encodeURIComponent(', '))).body).toHaveLength(2);
    expectNoContent(await http.get('/server/data/identities?location=Paris'));
  });

  it('filters by userAgent of their visits (a part, ignoring case)', async () => {
    expect((await http.get('/server/data/identities?userAgent=firefox')).body.map((i: any) => i.identityId)).toEqual([ANN]);
    expect((await http.get('/server/data/identities?userAgent=Chrome%2F126')).body.map((i: any) => i.identityId)).toEqual(['bob-7']);
    expectNoContent(await http.get('/server/data/identities?userAgent=Safari%2F1'));
    expectNoContent(await http.get('/server/data/identities?userAgent=firefox&location=berlin'));
  });

  it('adds visitIds, pageIds, eventIds with include_* and embeds with include_*_detail', async () => {
    const res = await http.get('/server/data/identities?location=lyon&include_visits=true&include_pages=true&include_events=true');
    const [ann] = res.body;
    expect(ann.visitIds).toEqual(['visit-A', 'visit-B']);
    expect(ann.pageIds).toEqual(['visit-A.home', 'visit-A.product', 'visit-A.account', 'visit-B.home']);
    expect(ann.eventIds).toEqual(ids(ALL_ANN()));
    expect(ann.visits).toBeNull();
    expect(ann.pages).toBeNull();
    expect(ann.events).toBeNull();
    const detail = (await http.get('/server/data/identities?location=lyon&include_visits_detail=true')).body[0];
    expect(detail.visitIds).toEqual(['visit-A', 'visit-B']);
    expect(detail.visits.map((v: any) => v.visitId)).toEqual(['visit-A', 'visit-B']);
    // Embedded resources take the same flags: no page/event flags, so their lists are null.
    expect(detail.visits[0].pageIds).toBeNull();
    expect(detail.visits[0].eventIds).toBeNull();
    expect(detail.pageIds).toBeNull();
    expect(detail.eventIds).toBeNull();
  });
});

describe('GET /identities/{identityId}', () => {
  it('answers a one-element array', async () => {
    const res = await http.get(`/server/data/identities/${ANN_PATH}`);
    expect(res.status).toBe(200);
    expect(Array.isArray(res.body)).toBe(true);
    expect(res.body).toHaveLength(1);
    expect(res.body[0].identityId).toBe(ANN);
    expect(res.body[0].visitScope).toBe('Recognized');
    expect(res.body[0].entityInCS).toBe(`contact-${ANN}`);
    expect(res.body[0].visitIds).toBeNull();
  });

  it('takes the include flags, embedding visits with their pages and events', async () => {
    const res = await http.get(
      `/server/data/identities/${ANN_PATH}?include_visits_detail=true&include_pages_detail=true&include_events_detail=true`,
    );
    const [ann] = res.body;
    expect(ann.visits.map((v: any) => v.visitId)).toEqual(['visit-A', 'visit-B']);
    expect(ann.visits[0].pageIds).toEqual(['visit-A.home', 'visit-A.product', 'visit-A.account']);
    expect(ann.visits[0].eventIds).toEqual(ids(A));
    expect(ann.visits[1].events.map((e: any) => e.eventID)).toEqual(ids(B));
    expect(ann.pages.map((p: any) => p.pageId)).toEqual(['visit-A.home', 'visit-A.product', 'visit-A.account', 'visit-B.home']);
    expect(ann.pages[1].eventIds).toEqual([byName['A.enterProduct'].eventID, byName['A.addToCart'].eventID, byName['A.signIn'].eventID]);
    expect(ann.events.map((e: any) => e.eventID)).toEqual(ids(ALL_ANN()));
  });

  it('answers 404 for an unknown identity, on every identity request', async () => {
    for (const p of ['', '/visits', '/pages', '/events']) {
      const res = await http.get(`/server/data/identities/nobody%40shop.test${p}`);
      expect(res.status, p).toBe(404);
      expect(res.body.error, p).toBe('not_found');
      expect(res.headers.get('content-type'), p).toBe('application/json; charset=utf-8');
    }
  });
});

describe('GET /identities/{identityId}/visits', () => {
  it('lists the identity\'s visits', async () => {
    const res = await http.get(`/server/data/identities/${ANN_PATH}/visits`);
    expect(res.status).toBe(200);
    expect(res.body.map((v: any) => [v.visitId, v.visitorState, v.globalVisitID, v.userAgentId])).toEqual([
      ['visit-A', 'Anonymous', 'gvid-ann', uaId(FIREFOX)],
      ['visit-B', 'Recognized', 'gvid-ann', uaId(FIREFOX)],
    ]);
    expect(res.body[0].eventIds).toBeNull();
    expect(res.body[0].pages).toBeNull();
  });

  it('filters by age (latest activity), globalVisitID and userAgent', async () => {
    const visits = async (q: string) => {
      const res = await http.get(`/server/data/identities/${ANN_PATH}/visits?${q}`);
      return res.status === 204 ? 204 : res.body.map((v: any) => v.visitId);
    };
    expect(await visits('age=600')).toEqual(['visit-B']);
    expect(await visits('age=7200')).toEqual(['visit-A', 'visit-B']);
    expect(await visits('age=10')).toBe(204);
    expect(await visits('globalVisitID=gvid-ann')).toEqual(['visit-A', 'visit-B']);
    expect(await visits('globalVisitID=gvid-an')).toBe(204);
    expect(await visits('globalVisitID=gvid-bob')).toBe(204);
    expect(await visits('userAgent=FIREFOX%2F128')).toEqual(['visit-A', 'visit-B']);
    expect(await visits('userAgent=chrome')).toBe(204);
  });

  it('takes include_pages / include_events on the visits', async () => {
    const res = await http.get(`/server/data/identities/${ANN_PATH}/visits?include_pages=true&include_events_detail=true`);
    expect(res.body[1].pageIds).toEqual(['visit-B.home']);
    expect(res.body[1].pages).toBeNull();
    expect(res.body[1].eventIds).toEqual(ids(B));
    expect(res.body[1].events.map((e: any) => e.eventName)).toEqual(['VisitStarted', 'PageEntered', 'UserInfo', 'Timeout-30']);
  });
});

describe('GET /identities/{identityId}/pages', () => {
  it('lists the pages of all the identity\'s visits, including before SignIn', async () => {
    const res = await http.get(`/server/data/identities/${ANN_PATH}/pages`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      pageOf('visit-A', 'home', byName['A.enterHome'], byName['A.exitHome']),
      pageOf('visit-A', 'product', byName['A.enterProduct'], null),
      pageOf('visit-A', 'account', byName['A.enterAccount'], null),
      pageOf('visit-B', 'home', byName['B.enterHome'], null),
    ]);
  });

  it('filters by url, title (a part), category (one of them) and age (startDate)', async () => {
    const pages = async (q: string) => {
      const res = await http.get(`/server/data/identities/${ANN_PATH}/pages?${q}`);
      return res.status === 204 ? 204 : res.body.map((p: any) => p.pageId);
    };
    expect(await pages('url=products%2F42')).toEqual(['visit-A.product']);
    expect(await pages('url=' + encodeURIComponent(`${SHOP}/`))).toEqual(['visit-A.home', 'visit-A.product', 'visit-A.account', 'visit-B.home']);
    expect(await pages('title=Kettle')).toEqual(['visit-A.product']);
    expect(await pages('title=kettle')).toBe(204);
    expect(await pages('title=Welcome')).toEqual(['visit-A.home', 'visit-B.home']);
    expect(await pages('category=landing')).toEqual(['visit-A.home', 'visit-B.home']);
    expect(await pages('category=shop')).toEqual(['visit-A.product']);
    expect(await pages('category=sho')).toBe(204);
    expect(await pages('age=600')).toEqual(['visit-B.home']);
    expect(await pages('age=600&category=product')).toBe(204);
    expect(await pages('age=7200&category=account')).toEqual(['visit-A.account']);
  });

  it('takes include_events / include_events_detail on the pages', async () => {
    const res = await http.get(`/server/data/identities/${ANN_PATH}/pages?title=Welcome&include_events=true`);
    expect(res.body.map((p: any) => p.eventIds)).toEqual([
      [byName['A.enterHome'].eventID, byName['A.exitHome'].eventID],
      [byName['B.enterHome'].eventID, byName['B.userInfo'].eventID, byName['B.timeout'].eventID],
    ]);
    expect(res.body[0].events).toBeNull();
    const detail = await http.get(`/server/data/identities/${ANN_PATH}/pages?url=account&include_events_detail=true`);
    expect(detail.body[0].events.map((e: any) => e.eventName)).toEqual(['PageEntered', 'SignOut']);
  });
});

describe('GET /identities/{identityId}/events', () => {
  it('lists the events of all the identity\'s visits as stored', async () => {
    const res = await http.get(`/server/data/identities/${ANN_PATH}/events`);
    expect(res.status).toBe(200);
    expect(res.body.map((e: any) => e.eventID)).toEqual(ids(ALL_ANN()));
  });

  it('filters by eventName, eventType, category, url, globalVisitID and age', async () => {
    const events = async (q: string) => {
      const res = await http.get(`/server/data/identities/${ANN_PATH}/events?${q}`);
      return res.status === 204 ? 204 : res.body.map((e: any) => e.eventID);
    };
    const id = (k: string) => byName[k].eventID;
    expect(await events('eventName=PageEntered')).toEqual([id('A.enterHome'), id('A.enterProduct'), id('A.enterAccount'), id('B.enterHome')]);
    expect(await events('eventName=pageentered')).toBe(204);
    expect(await events('eventType=BUSINESS')).toEqual([id('A.addToCart'), id('B.timeout')]);
    expect(await events('eventType=SYSTEM')).toHaveLength(10);
    expect(await events('category=shop')).toEqual([id('A.enterProduct'), id('A.addToCart')]);
    expect(await events('category=cart')).toEqual([id('A.addToCart')]);
    expect(await events('category=cart%3Bshop')).toBe(204);
    expect(await events('url=account')).toEqual([id('A.enterAccount'), id('A.signOut')]);
    expect(await events('globalVisitID=gvid-ann')).toEqual(ids(ALL_ANN()));
    expect(await events('globalVisitID=gvid-bob')).toBe(204);
    expect(await events('age=600')).toEqual(ids(B));
    expect(await events('age=600&eventType=BUSINESS')).toEqual([id('B.timeout')]);
    expect(await events('eventName=SignIn&eventType=SYSTEM&url=products')).toEqual([id('A.signIn')]);
  });

  it('does not take include flags or browserPageID (400 naming them)', async () => {
    expectBadParam(await http.get(`/server/data/identities/${ANN_PATH}/events?include_events=true`), 'include_events');
    expectBadParam(await http.get(`/server/data/identities/${ANN_PATH}/events?browserPageID=home`), 'browserPageID');
  });
});

describe('GET /visits and /visits/{visitId}', () => {
  it('lists all visits in the order received', async () => {
    const res = await http.get('/server/data/visits');
    expect(res.status).toBe(200);
    expect(res.body.map((v: any) => [v.visitId, v.visitorState, v.identityIds])).toEqual([
      ['visit-A', 'Anonymous', [ANN]],
      ['visit-C', 'Authenticated', ['bob-7']],
      ['visit-B', 'Recognized', [ANN]],
      ['visit-D', 'Anonymous', []],
    ]);
  });

  it('filters /visits by age, globalVisitID, userAgent', async () => {
    const visits = async (q: string) => {
      const res = await http.get(`/server/data/visits?${q}`);
      return res.status === 204 ? 204 : res.body.map((v: any) => v.visitId);
    };
    expect(await visits('age=600')).toEqual(['visit-B', 'visit-D']);
    expect(await visits('age=2400')).toEqual(['visit-C', 'visit-B', 'visit-D']);
    expect(await visits('age=0')).toBe(204);
    expect(await visits('globalVisitID=gvid-bob')).toEqual(['visit-C']);
    expect(await visits('globalVisitID=gvid-ann')).toEqual(['visit-A', 'visit-B']);
    expect(await visits('userAgent=chrome')).toEqual(['visit-C']);
    expect(await visits('userAgent=gecko')).toEqual(['visit-A', 'visit-C', 'visit-B']);
    expect(await visits('userAgent=FIREFOX')).toEqual(['visit-A', 'visit-B']);
    expect(await visits('userAgent=firefox&age=600')).toEqual(['visit-B']);
    expect(await visits('userAgent=lynx')).toEqual(['visit-D']);
    expect(await visits('userAgent=w3m')).toBe(204);
  });

  it('GET /visits/{id} answers the visit, lists null when not asked', async () => {
    const res = await http.get('/server/data/visits/visit-A');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      visitId: 'visit-A',
      globalVisitID: 'gvid-ann',
      startDate: byName['A.start'].timestamp,
      endDate: 0,
      userAgentId: uaId(FIREFOX),
      userAgent: FIREFOX,
      visitorState: 'Anonymous',
      activeSessionId: null,
      identityIds: [ANN],
      eventIds: null,
      events: null,
      pageIds: null,
      pages: null,
    });
  });

  it('include_events / include_pages add id lists; *_detail embeds (pages take the event flags)', async () => {
    const ids1 = (await http.get('/server/data/visits/visit-A?include_events=true&include_pages=true')).body;
    expect(ids1.eventIds).toEqual(ids(A));
    expect(ids1.pageIds).toEqual(['visit-A.home', 'visit-A.product', 'visit-A.account']);
    expect(ids1.events).toBeNull();
    expect(ids1.pages).toBeNull();

    const onlyEvents = (await http.get('/server/data/visits/visit-A?include_events_detail=true&include_pages=false')).body;
    expect(onlyEvents.eventIds).toEqual(ids(A));
    expect(onlyEvents.events.map((e: any) => e.eventID)).toEqual(ids(A));
    expect(onlyEvents.pageIds).toBeNull();
    expect(onlyEvents.pages).toBeNull();

    const pages = (await http.get('/server/data/visits/visit-A?include_pages_detail=true')).body;
    expect(pages.eventIds).toBeNull();
    expect(pages.pages).toEqual([
      pageOf('visit-A', 'home', byName['A.enterHome'], byName['A.exitHome']),
      pageOf('visit-A', 'product', byName['A.enterProduct'], null),
      pageOf('visit-A', 'account', byName['A.enterAccount'], null),
    ]);

    const all = (await http.get('/server/data/visits/visit-A?include_pages_detail=true&include_events=true')).body;
    expect(all.pages[2].eventIds).toEqual([byName['A.enterAccount'].eventID, byName['A.signOut'].eventID]);
    expect(all.pages[2].events).toBeNull();
  });

  it('stored events keep the browser fields and add serverTimestamp and browserPageID', async () => {
    const res = await http.get('/server/data/visits/visit-A?include_events_detail=true');
    const now = Date.now();
    res.body.events.forEach((stored: any, i: number) => {
      const sent = A[i];
      const { serverTimestamp, visitorState, ...rest } = stored;
      expect(rest).toEqual({ ...sent, browserPageID: sent.pageID });
      expect(typeof visitorState).toBe('string');
      expect(serverTimestamp).toBeGreaterThanOrEqual(testStart);
      expect(serverTimestamp).toBeLessThanOrEqual(now);
    });
  });

  it('answers 404 for an unknown visit, on every visit request', async () => {
    for (const p of ['', '/pages', '/events', '/identities']) {
      const res = await http.get(`/server/data/visits/no-such-visit${p}`);
      expect(res.status, p).toBe(404);
      expect(res.body.error, p).toBe('not_found');
      expect(res.body.message, p).toContain('no-such-visit');
    }
  });
});

describe('GET /visits/{visitId}/pages', () => {
  it('lists the visit\'s pages', async () => {
    const res = await http.get('/server/data/visits/visit-A/pages');
    expect(res.status).toBe(200);
    expect(res.body.map((p: any) => [p.pageId, p.browserPageID, p.title, p.category, p.endDate])).toEqual([
      ['visit-A.home', 'home', 'Welcome home', 'home;landing', byName['A.exitHome'].timestamp],
      ['visit-A.product', 'product', 'Blue Kettle', 'product;shop', 0],
      ['visit-A.account', 'account', 'My account', 'account', 0],
    ]);
  });

  it('filters by url, title, category, age', async () => {
    const pages = async (q: string) => {
      const res = await http.get(`/server/data/visits/visit-A/pages?${q}`);
      return res.status === 204 ? 204 : res.body.map((p: any) => p.browserPageID);
    };
    expect(await pages('url=products')).toEqual(['product']);
    expect(await pages('title=account')).toEqual(['account']);
    expect(await pages('category=home')).toEqual(['home']);
    expect(await pages('category=account')).toEqual(['account']);
    expect(await pages('age=600')).toBe(204);
    expect(await pages('age=7200')).toEqual(['home', 'product', 'account']);
  });

  it('takes include_events_detail', async () => {
    const res = await http.get('/server/data/visits/visit-A/pages?url=products&include_events_detail=true');
    expect(res.body[0].eventIds).toEqual([byName['A.enterProduct'].eventID, byName['A.addToCart'].eventID, byName['A.signIn'].eventID]);
    expect(res.body[0].events.map((e: any) => e.eventName)).toEqual(['PageEntered', 'AddToCart', 'SignIn']);
  });
});

describe('GET /visits/{visitId}/events', () => {
  it('lists the visit\'s events in the order received', async () => {
    const res = await http.get('/server/data/visits/visit-A/events');
    expect(res.status).toBe(200);
    expect(res.body.map((e: any) => e.eventID)).toEqual(ids(A));
  });

  it('filters by browserPageID, eventName, eventType, category, url, age', async () => {
    const events = async (q: string) => {
      const res = await http.get(`/server/data/visits/visit-A/events?${q}`);
      return res.status === 204 ? 204 : res.body.map((e: any) => e.eventID);
    };
    const id = (k: string) => byName[k].eventID;
    expect(await events('browserPageID=home')).toEqual([id('A.start'), id('A.enterHome'), id('A.exitHome')]);
    expect(await events('browserPageID=product')).toEqual([id('A.enterProduct'), id('A.addToCart'), id('A.signIn')]);
    expect(await events('browserPageID=prod')).toBe(204);
    expect(await events('eventName=AddToCart')).toEqual([id('A.addToCart')]);
    expect(await events('eventType=BUSINESS')).toEqual([id('A.addToCart')]);
    expect(await events('category=cart')).toEqual([id('A.addToCart')]);
    expect(await events('category=shop')).toEqual([id('A.enterProduct'), id('A.addToCart')]);
    expect(await events('url=' + encodeURIComponent('/account'))).toEqual([id('A.enterAccount'), id('A.signOut')]);
    expect(await events('age=600')).toBe(204);
    expect(await events('age=7200&eventName=SignOut')).toEqual([id('A.signOut')]);
    expect(await events('browserPageID=account&eventType=SYSTEM')).toEqual([id('A.enterAccount'), id('A.signOut')]);
  });

  it('does not take globalVisitID or includes here', async () => {
    expectBadParam(await http.get('/server/data/visits/visit-A/events?globalVisitID=gvid-ann'), 'globalVisitID');
    expectBadParam(await http.get('/server/data/visits/visit-A/events?include_events_detail=true'), 'include_events_detail');
  });
});

describe('GET /visits/{visitId}/identities', () => {
  it('lists the identities of the visit with their scope in that visit', async () => {
    const res = await http.get('/server/data/visits/visit-A/identities');
    expect(res.status).toBe(200);
    expect(res.body.map((i: any) => [i.identityId, i.visitScope, i.entityInCS, i.name])).toEqual([[ANN, 'Recognized', `contact-${ANN}`, 'Ann Lee']]);
    expect(res.body[0].visitIds).toBeNull();
  });

  it('filters by association', async () => {
    expect((await http.get('/server/data/visits/visit-A/identities?association=Recognized')).body.map((i: any) => i.identityId)).toEqual([ANN]);
    expectNoContent(await http.get('/server/data/visits/visit-A/identities?association=Authenticated'));
    expect((await http.get('/server/data/visits/visit-C/identities?association=Authenticated')).body.map((i: any) => [i.identityId, i.visitScope])).toEqual([
      ['bob-7', 'Authenticated'],
    ]);
    expectNoContent(await http.get('/server/data/visits/visit-C/identities?association=Recognized'));
    expectBadParam(await http.get('/server/data/visits/visit-A/identities?association=authenticated'), 'association');
    expectBadParam(await http.get('/server/data/visits/visit-A/identities?association=Anonymous'), 'association');
  });

  it('takes includes on the identities', async () => {
    const res = await http.get('/server/data/visits/visit-B/identities?include_visits=true&include_events=true');
    expect(res.body[0].visitIds).toEqual(['visit-A', 'visit-B']);
    expect(res.body[0].eventIds).toEqual(ids(ALL_ANN()));
    expect(res.body[0].pageIds).toBeNull();
  });

  it('answers 204 for a visit without identities or pages', async () => {
    expectNoContent(await http.get('/server/data/visits/visit-D/identities'));
    expectNoContent(await http.get('/server/data/visits/visit-D/pages'));
    expect((await http.get('/server/data/visits/visit-D/events')).body.map((e: any) => e.eventID)).toEqual(ids(D));
  });
});

describe('query parameters are strict: 400 naming the parameter', () => {
  it.each([
    ['/server/data/visits/visit-A?foo=1', 'foo'],
    ['/server/data/identities?eventname=SignIn', 'eventname'],
    ['/server/data/visits/visit-A/events?EventName=SignIn', 'EventName'],
    ['/server/data/visits/visit-A/events?eventName=SignIn&eventName=SignOut', 'eventName'],
    ['/server/data/visits/visit-A?include_events=yes', 'include_events'],
    ['/server/data/visits/visit-A?include_events=True', 'include_events'],
    ['/server/data/visits/visit-A?include_pages_detail=1', 'include_pages_detail'],
    [`/server/data/identities/${ANN_PATH}?include_visits=`, 'include_visits'],
    ['/server/data/visits?age=-1', 'age'],
    ['/server/data/visits/visit-A/events?age=abc', 'age'],
    [`/server/data/identities/${ANN_PATH}/pages?age=`, 'age'],
    ['/server/data/visits/visit-A/events?eventType=system', 'eventType'],
    [`/server/data/identities/${ANN_PATH}/events?eventType=CUSTOM`, 'eventType'],
    ['/server/data/visits/visit-A/events?url=', 'url'],
    ['/server/data/visits?page_size=0', 'page_size'],
    ['/server/data/visits?page_size=1001', 'page_size'],
    ['/server/data/visits?page_size=abc', 'page_size'],
    ['/server/data/visits?page_size=2.5', 'page_size'],
    ['/server/data/visits?page_size=-3', 'page_size'],
    ['/server/data/visits?page_key=not%20a%20key', 'page_key'],
    ['/server/data/visits?page_size=1&page_key=' + Buffer.from('0:visit-Z').toString('base64url'), 'page_key'],
    ['/server/data/visits?page_key=' + Buffer.from('hello').toString('base64url'), 'page_key'],
    ['/server/data/identities?visitScope=Recognized', 'visitScope'],
    ['/server/data/visits/visit-A/pages?browserPageID=home', 'browserPageID'],
    ['/server/data/visits/visit-A?include_visits=true', 'include_visits'],
  ])('GET %s -> 400 naming %s', async (url, field) => {
    expectBadParam(await http.get(url), field);
  });

  it('takes page_size=1000', async () => {
    const res = await http.get('/server/data/visits?page_size=1000');
    expect(res.status).toBe(200);
    expect(res.headers.get('paging-next')).toBeNull();
  });
});

describe('paging', () => {
  async function walk(path: string, pageSize: number, idOf: (x: any) => string) {
    const sep = path.includes('?') ? '&' : '?';
    const pages: string[][] = [];
    let key: string | null = null;
    for (let guard = 0; guard < 50; guard++) {
      const res = await http.get(`${path}${sep}page_size=${pageSize}${key ? `&page_key=${encodeURIComponent(key)}` : ''}`);
      expect(res.status).toBe(200);
      pages.push(res.body.map(idOf));
      key = res.headers.get('paging-next');
      if (!key) return pages;
    }
    throw new Error('paging did not end');
  }

  it('walks the visit\'s events with page_size and Paging-Next, no gaps or duplicates', async () => {
    const pages = await walk('/server/data/visits/visit-A/events', 3, (e) => e.eventID);
    expect(pages.map((p) => p.length)).toEqual([3, 3, 2]);
    expect(pages.flat()).toEqual(ids(A));
  });

  it('ends without an empty page when the size divides the collection', async () => {
    const pages = await walk('/server/data/visits/visit-A/events', 4, (e) => e.eventID);
    expect(pages.map((p) => p.length)).toEqual([4, 4]);
    expect(pages.flat()).toEqual(ids(A));
  });

  it('walks identity events, identities, visits and pages', async () => {
    expect((await walk(`/server/data/identities/${ANN_PATH}/events`, 5, (e) => e.eventID)).flat()).toEqual(ids(ALL_ANN()));
    expect(await walk('/server/data/identities', 1, (i) => i.identityId)).toEqual([[ANN], ['bob-7']]);
    expect(await walk('/server/data/visits', 3, (v) => v.visitId)).toEqual([['visit-A', 'visit-C', 'visit-B'], ['visit-D']]);
    expect(await walk('/server/data/visits?age=2400', 1, (v) => v.visitId)).toEqual([['visit-C'], ['visit-B'], ['visit-D']]);
    expect(await walk(`/server/data/identities/${ANN_PATH}/pages`, 3, (p) => p.pageId)).toEqual([
      ['visit-A.home', 'visit-A.product', 'visit-A.account'],
      ['visit-B.home'],
    ]);
    expect(await walk(`/server/data/identities/${ANN_PATH}/visits`, 1, (v) => v.visitId)).toEqual([['visit-A'], ['visit-B']]);
  });

  it('pages a filtered collection with the same filters', async () => {
    const pages = await walk(`/server/data/identities/${ANN_PATH}/events?eventType=SYSTEM`, 4, (e) => e.eventID);
    const expected = ALL_ANN().filter((e) => e.eventType === 'SYSTEM').map((e) => e.eventID);
    expect(pages.map((p) => p.length)).toEqual([4, 4, 2]);
    expect(pages.flat()).toEqual(expected);
  });

  it('gives no Paging-Next without page_size, and none on the last page', async () => {
    const all = await http.get('/server/data/visits/visit-A/events');
    expect(all.headers.get('paging-next')).toBeNull();
    const one = await http.get('/server/data/visits/visit-A/events?page_size=8');
    expect(one.body).toHaveLength(8);
    expect(one.headers.get('paging-next')).toBeNull();
  });
});

describe('POST /server/data/visits and /visits/{visitId}/events', () => {
  let posted: TestCompanion;
  let p: Api;
  beforeAll(async () => {
    posted = await testCompanion();
    p = api(posted.url);
  });
  afterAll(async () => {
    await posted?.close();
    if (posted) removeDir(posted.dataDir);
  });

  it('creates a visit: 201, Location, the visit resource; 409 when it exists', async () => {
    const startDate = Date.now() - 5_000;
    const res = await p.post('/server/data/visits', { visitId: 'api-visit', globalVisitID: 'api-gvid', startDate, userAgent: 'curl/8.5.0' });
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
    const got = await p.get(res.headers.get('location')!);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);

    const again = await p.post('/server/data/visits', { visitId: 'api-visit' });
    expect(again.status).toBe(409);
    expect(again.body.error).toBe('conflict');
    expect(again.body.field).toBe('visitId');
    expect((await p.get('/server/data/visits/api-visit')).body.globalVisitID).toBe('api-gvid');
  });

  it('creates a visit with generated ids from an empty object', async () => {
    const before = Date.now();
    const res = await p.post('/server/data/visits', {}, { 'user-agent': 'visitor-lab-test/1' });
    expect(res.status).toBe(201);
    expect(res.body.visitId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.globalVisitID).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.globalVisitID).not.toBe(res.body.visitId);
    expect(res.body.startDate).toBeGreaterThanOrEqual(before);
    expect(res.body.userAgent).toBe('visitor-lab-test/1');
    expect(res.headers.get('location')).toBe(`/server/data/visits/${res.body.visitId}`);
    expect((await p.get(res.headers.get('location')!)).status).toBe(200);
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
    const before = (await p.get('/lab/health')).body.counts.visits;
    const res = await p.post('/server/data/visits', body);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('bad_request');
    expect(res.body.field).toBe(field);
    expect((await p.get('/lab/health')).body.counts.visits).toBe(before);
  });

  it('POSTs events to a visit: 201, visitID and globalVisitID filled in, eventID and timestamp defaulted', async () => {
    await p.post('/server/data/visits', { visitId: 'api-events', globalVisitID: 'api-events-gvid', startDate: Date.now() - 10_000 });
    const before = Date.now();
    const res = await p.post('/server/data/visits/api-events/events', [
      { eventType: 'SYSTEM', eventName: 'PageEntered', pageID: 'pg1', url: `${SHOP}/help`, data: { title: 'Help' } },
      { eventType: 'BUSINESS', eventName: 'ChatRequested', eventID: 'chat-1', pageID: 'pg1', category: 'support;chat', timestamp: before - 100 },
    ]);
    const after = Date.now();
    expect(res.status).toBe(201);
    expect(res.body.accepted).toBe(2);
    expect(res.body.results[0].status).toBe('accepted');
    expect(res.body.results[0].eventID).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.results[1]).toEqual({ index: 1, eventID: 'chat-1', status: 'accepted' });

    const stored = (await p.get('/server/data/visits/api-events/events')).body;
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
    const pages = (await p.get('/server/data/visits/api-events/pages?include_events=true')).body;
    expect(pages.map((pg: any) => [pg.pageId, pg.title, pg.eventIds.length])).toEqual([['api-events.pg1', 'Help', 2]]);
    // A repeated eventID is a duplicate, as on intake.
    const dup = await p.post('/server/data/visits/api-events/events', { eventType: 'BUSINESS', eventName: 'ChatRequested', eventID: 'chat-1' });
    expect(dup.status).toBe(201);
    expect(dup.body).toEqual({ accepted: 0, duplicate: 1, rejected: 0, results: [{ index: 0, eventID: 'chat-1', status: 'duplicate' }] });
  });

  it('takes the globalVisitID from the visit, not from the posted event', async () => {
    await p.post('/server/data/visits', { visitId: 'api-gv', globalVisitID: 'api-gv-real' });
    const res = await p.post('/server/data/visits/api-gv/events', {
      eventType: 'BUSINESS',
      eventName: 'Promo',
      eventID: 'gv-1',
      globalVisitID: 'some-other-browser',
    });
    // docs/api.md: "visitID and globalVisitID are taken from the visit". A refusal naming the
    // field would also keep the visit consistent; storing the foreign id would not.
    if (res.status === 400) {
      expect(res.body.field).toBe('globalVisitID');
      expectNoContent(await p.get('/server/data/visits/api-gv/events'));
    } else {
      expect(res.status).toBe(201);
      const stored = (await p.get('/server/data/visits/api-gv/events')).body;
      expect(stored.map((e: any) => [e.eventID, e.globalVisitID])).toEqual([['gv-1', 'api-gv-real']]);
    }
  });

  it('answers 404 for an unknown visit, storing nothing', async () => {
    const before = (await p.get('/lab/health')).body.counts;
    const res = await p.post('/server/data/visits/ghost/events', { eventType: 'BUSINESS', eventName: 'X' });
    expect(res.status).toBe(404);
    expect(res.body.error).toBe('not_found');
    expect((await p.get('/lab/health')).body.counts).toEqual(before);
    expect((await p.get('/server/data/visits/ghost')).status).toBe(404);
  });

  it('answers 400 for a visitID that is not the visit in the URL, storing nothing', async () => {
    await p.post('/server/data/visits', { visitId: 'api-mismatch' });
    const single = await p.post('/server/data/visits/api-mismatch/events', { eventType: 'BUSINESS', eventName: 'X', visitID: 'other' });
    expect(single.status).toBe(400);
    expect(single.body.field).toBe('visitID');
    const list = await p.post('/server/data/visits/api-mismatch/events', [
      { eventType: 'BUSINESS', eventName: 'Fine', eventID: 'fine-1' },
      { eventType: 'BUSINESS', eventName: 'X', visitID: 'other' },
    ]);
    expect(list.status).toBe(400);
    expect(list.body.field).toBe('[1].visitID');
    expectNoContent(await p.get('/server/data/visits/api-mismatch/events'));
    // The visit's own id is fine.
    const same = await p.post('/server/data/visits/api-mismatch/events', { eventType: 'BUSINESS', eventName: 'X', visitID: 'api-mismatch' });
    expect(same.status).toBe(201);
  });

  it('answers 400 with the field when every event is rejected', async () => {
    await p.post('/server/data/visits', { visitId: 'api-rejected' });
    const res = await p.post('/server/data/visits/api-rejected/events', [{ eventName: 'X' }, { eventType: 'SYSTEM', eventName: 'SignIn', data: {} }]);
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('eventType');
    expect(res.body.results.map((r: any) => r.field)).toEqual(['eventType', 'data.userId']);
    expectNoContent(await p.get('/server/data/visits/api-rejected/events'));
    const empty = await p.post('/server/data/visits/api-rejected/events', []);
    expect(empty.status).toBe(400);
    expect(empty.body.field).toBe('body');
  });
});
