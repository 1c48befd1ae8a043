// GWE 8.5.1's page routes after the shared story (./story.ts): GET /pages/{pageId} and
// GET /pages/{pageId}/events, where pageId is the `pageID` the page's events are served with.
import { describe, expect, it } from 'vitest';
import { useStory, http, expectNoContent, expectBadParam } from './story';

useStory();

async function pagesOfA() {
  return (await http.get('/server/data/visits/visit-A/pages?include_events=true')).body as any[];
}

describe('GET /pages/{pageId}', () => {
  it('answers the page resource its events name, with the same includes as in a visit', async () => {
    const pages = await pagesOfA();
    const events = (await http.get('/server/data/visits/visit-A/events')).body as any[];
    const page = pages.find((p) => p.pageId === events[0].pageID);
    const res = await http.get(`/server/data/pages/${encodeURIComponent(events[0].pageID)}?include_events=true`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(page);
    const detail = (await http.get(`/server/data/pages/${encodeURIComponent(page.pageId)}?include_events_detail=true`)).body;
    expect(detail.events.map((e: any) => e.eventID)).toEqual(page.eventIds);
    expect(detail.events.every((e: any) => e.pageID === page.pageId)).toBe(true);
  });

  it('answers 404 for an unknown page, and 400 for a bad value', async () => {
    const res = await http.get('/server/data/pages/visit-A:nope');
    expect(res.status).toBe(404);
    expect(res.body.error).toBe('not_found');
    expect((await http.get('/server/data/pages/visit-A:nope/events')).status).toBe(404);
    const [page] = await pagesOfA();
    expectBadParam(await http.get(`/server/data/pages/${encodeURIComponent(page.pageId)}?include_events=yes`), 'include_events');
  });
});

describe('GET /pages/{pageId}/events', () => {
  it('lists the page\'s events, filtered by eventName, eventType, category, age', async () => {
    const pages = await pagesOfA();
    for (const page of pages) {
      const path = `/server/data/pages/${encodeURIComponent(page.pageId)}/events`;
      const all = (await http.get(path)).body;
      expect(all.map((e: any) => e.eventID)).toEqual(page.eventIds);
      const system = await http.get(`${path}?eventType=SYSTEM`);
      const wanted = all.filter((e: any) => e.eventType === 'SYSTEM').map((e: any) => e.eventID);
      if (wanted.length === 0) expectNoContent(system);
      else expect(system.body.map((e: any) => e.eventID)).toEqual(wanted);
      const first = all[0];
      const byName = (await http.get(`${path}?eventName=${encodeURIComponent(first.eventName)}`)).body;
      expect(byName.every((e: any) => e.eventName === first.eventName)).toBe(true);
    }
    const [page] = pages;
    expectNoContent(await http.get(`/server/data/pages/${encodeURIComponent(page.pageId)}/events?eventName=NoSuchEvent`));
    expectBadParam(await http.get(`/server/data/pages/${encodeURIComponent(page.pageId)}/events?age=-1`), 'age');
  });
});
