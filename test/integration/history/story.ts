// The shared fixture of the History API tests (contract section 4, docs/api.md): a realistic
// story posted over real HTTP. Ann browses anonymously, adds to cart, signs in, signs out; she
// comes back in a second visit and the site recognises her (UserInfo). Bob signs in from another
// browser. A test file calls useStory() to start its own companion with this story (vitest runs
// each file in isolation, so this module's state belongs to one file), then reads `http`,
// `snapshots`, `byName` and the event lists below.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect } from 'vitest';
import type { GtEvent } from '../../../protocol';
import { api, removeDir, testCompanion, type Api, type TestCompanion } from '../../helpers/companion';
import { ev, visitCtx, type VisitCtx } from '../../helpers/events';


export const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
export const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
export const LYNX = 'Lynx/2.9.0 libwww-FM/2.14';
export const ANN = 'ann.lee@shop.test';
export const ANN_PATH = encodeURIComponent(ANN);
export const SHOP = 'http://shop.test';

export const uaId = (ua: string) => 'ua-' + createHash('sha1').update(ua).digest('hex').slice(0, 12);

let companion: TestCompanion;
// Live bindings: set by useStory()'s beforeAll, read by the tests after it.
export let http: Api;
export let testStart: number;

// The story's events, by visit, in the order posted.
export const A: GtEvent[] = [];
export const B: GtEvent[] = [];
export const C: GtEvent[] = [];
export const D: GtEvent[] = [];
export const byName: Record<string, GtEvent> = {};
// Visit resources captured at each step of the story.
export const snapshots: Record<string, { visit: any; identity?: any; assoc?: any }> = {};

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

export const ids = (list: GtEvent[]) => list.map((e) => e.eventID);

/** Registers this file's beforeAll (start a companion, post the story) and afterAll (close it). */
export function useStory(): void {
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
}

export const ALL_ANN = () => [...A, ...B];

export function expectNoContent(res: { status: number; body: unknown }) {
  expect(res.status).toBe(204);
  expect(res.body).toBeNull();
}

export function expectBadParam(res: { status: number; body: any; headers: Headers }, field: string) {
  expect(res.status).toBe(400);
  expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
  expect(res.body.error).toBe('bad_request');
  expect(res.body.field).toBe(field);
  expect(res.body.message).toContain(field);
}

/** An answer that ignored the unknown parameters `names` (comma-separated), naming them. */
export function expectIgnoredParams(res: { status: number; headers: Headers }, names: string) {
  expect(res.status).toBe(200);
  expect(res.headers.get('x-ignored-parameters')).toBe(names);
}

export function pageOf(visitId: string, browserPageID: string, enter: GtEvent, exit: GtEvent | null, eventIds: string[] | null = null, events: any = null) {
  return {
    pageId: `${visitId}:${browserPageID}`,
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
