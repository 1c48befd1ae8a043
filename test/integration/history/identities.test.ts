// The History API (contract section 4, docs/api.md) after the shared story (./story.ts): the
// visitor state of each visit and identity as the story goes, and the /identities requests.
import { describe, expect, it } from 'vitest';
import { useStory, FIREFOX, ANN, ANN_PATH, SHOP, uaId, http, A, B, byName, snapshots, ids, ALL_ANN, expectNoContent, expectIgnoredParams, pageOf } from './story';

useStory();

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
    expect(ann.pageIds).toEqual(['visit-A:home', 'visit-A:product', 'visit-A:account', 'visit-B:home']);
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
    expect(ann.visits[0].pageIds).toEqual(['visit-A:home', 'visit-A:product', 'visit-A:account']);
    expect(ann.visits[0].eventIds).toEqual(ids(A));
    expect(ann.visits[1].events.map((e: any) => e.eventID)).toEqual(ids(B));
    expect(ann.pages.map((p: any) => p.pageId)).toEqual(['visit-A:home', 'visit-A:product', 'visit-A:account', 'visit-B:home']);
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
    expect(res.body[1].pageIds).toEqual(['visit-B:home']);
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
    expect(await pages('url=products%2F42')).toEqual(['visit-A:product']);
    expect(await pages('url=' + encodeURIComponent(`${SHOP}/`))).toEqual(['visit-A:home', 'visit-A:product', 'visit-A:account', 'visit-B:home']);
    expect(await pages('title=Kettle')).toEqual(['visit-A:product']);
    expect(await pages('title=kettle')).toBe(204);
    expect(await pages('title=Welcome')).toEqual(['visit-A:home', 'visit-B:home']);
    expect(await pages('category=landing')).toEqual(['visit-A:home', 'visit-B:home']);
    expect(await pages('category=shop')).toEqual(['visit-A:product']);
    expect(await pages('category=sho')).toBe(204);
    expect(await pages('age=600')).toEqual(['visit-B:home']);
    expect(await pages('age=600&category=product')).toBe(204);
    expect(await pages('age=7200&category=account')).toEqual(['visit-A:account']);
  });

  it('takes include_events / include_events_detail on the pages', async () => {
    const res = await http.get(`/server/data/identities/${ANN_PATH}/pages?title=Welcome&include_events=true`);
    expect(res.body.map((p: any) => p.eventIds)).toEqual([
      // The VisitStarted carries the first page's pageID: it is one of that page's events.
      [byName['A.start'].eventID, byName['A.enterHome'].eventID, byName['A.exitHome'].eventID],
      [byName['B.start'].eventID, byName['B.enterHome'].eventID, byName['B.userInfo'].eventID, byName['B.timeout'].eventID],
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

  it('does not take include flags or browserPageID (ignored, named in X-Ignored-Parameters)', async () => {
    expectIgnoredParams(await http.get(`/server/data/identities/${ANN_PATH}/events?include_events=true`), 'include_events');
    expectIgnoredParams(await http.get(`/server/data/identities/${ANN_PATH}/events?browserPageID=home`), 'browserPageID');
  });
});
