// The History API (contract section 4, docs/api.md) after the shared story (./story.ts): the
// /visits requests (a visit, its pages, events and identities).
import { describe, expect, it } from 'vitest';
import { useStory, FIREFOX, ANN, uaId, http, testStart, A, D, byName, ids, ALL_ANN, expectNoContent, expectBadParam, expectIgnoredParams, pageOf } from './story';

useStory();

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
    expect(ids1.pageIds).toEqual(['visit-A:home', 'visit-A:product', 'visit-A:account']);
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

  it('stored events keep the browser fields; pageID names the page resource, the browser\'s id is browserPageID', async () => {
    const res = await http.get('/server/data/visits/visit-A?include_events_detail=true');
    const now = Date.now();
    res.body.events.forEach((stored: any, i: number) => {
      const sent = A[i];
      const { serverTimestamp, visitorState, ...rest } = stored;
      const pageID = sent.pageID === undefined ? undefined : `visit-A:${sent.pageID}`;
      expect(rest).toEqual({ ...sent, pageID, browserPageID: sent.pageID, category: sent.category ?? '' });
      expect(typeof visitorState).toBe('string');
      expect(serverTimestamp).toBeGreaterThanOrEqual(testStart);
      expect(serverTimestamp).toBeLessThanOrEqual(now);
    });
  });

  it('events join to pages: every event\'s pageID is the pageId of the page that lists it', async () => {
    const pages = (await http.get('/server/data/visits/visit-A/pages?include_events=true')).body;
    const events = (await http.get('/server/data/visits/visit-A/events')).body;
    const pageOfEvent = new Map<string, string>();
    for (const p of pages) for (const id of p.eventIds) pageOfEvent.set(id, p.pageId);
    expect(pageOfEvent.size).toBeGreaterThan(0);
    for (const e of events) {
      if (pageOfEvent.has(e.eventID)) expect(e.pageID, e.eventID).toBe(pageOfEvent.get(e.eventID));
      expect(pages.some((p: any) => p.pageId === e.pageID), e.eventID).toBe(true);
    }
    // The browserPageID filter takes the browser's id, as GWE's does.
    const byBrowser = (await http.get(`/server/data/visits/visit-A/events?browserPageID=${events[0].browserPageID}`)).body;
    expect(byBrowser.every((e: any) => e.pageID === events[0].pageID)).toBe(true);
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
      ['visit-A:home', 'home', 'Welcome home', 'home;landing', byName['A.exitHome'].timestamp],
      ['visit-A:product', 'product', 'Blue Kettle', 'product;shop', 0],
      ['visit-A:account', 'account', 'My account', 'account', 0],
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

  it('does not take globalVisitID or includes here (ignored, named in X-Ignored-Parameters)', async () => {
    expectIgnoredParams(await http.get('/server/data/visits/visit-A/events?globalVisitID=gvid-ann'), 'globalVisitID');
    expectIgnoredParams(await http.get('/server/data/visits/visit-A/events?include_events_detail=true'), 'include_events_detail');
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
