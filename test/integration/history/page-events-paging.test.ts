// A page's events read page by page: each exactly once, in order, with and without a filter
// (the PostgreSQL store reads only each page's stretch of them).
import { describe, expect, it } from 'vitest';
import { useCompanion } from '../../helpers/use-companion';
import { ev, pageEntered, visitCtx, visitStarted } from '../../helpers/events';
import type { Api } from '../../helpers/companion';

async function walk(http: Api, first: string): Promise<string[]> {
  const ids: string[] = [];
  let url: string | null = first;
  for (let guard = 0; url && guard < 100; guard++) {
    const res = await http.get(url);
    if (res.status === 204) break;
    expect(res.status).toBe(200);
    ids.push(...res.body.map((e: { eventID: string }) => e.eventID));
    const next = res.headers.get('paging-next');
    url = next ? `${first}&page_key=${next}` : null;
  }
  return ids;
}

describe("GET /server/data/pages/{pageId}/events, page by page", () => {
  const lab = useCompanion({}, 'all');

  it('gives each event once, in order, at page_size 4, filtered or not', async () => {
    const c = visitCtx('paged-page');
    const business = Array.from({ length: 23 }, (_, i) => ev(c, i % 2 ? 'Viewed' : 'AddToCart', { pageID: 'p1', eventType: 'BUSINESS' }));
    const events = [visitStarted(c, { pageID: 'p1' }), pageEntered(c, 'p1'), ...business];
    expect((await lab.http.post('/server/events', events)).body.accepted).toBe(25);
    const pageId = encodeURIComponent('paged-page:p1');
    expect(await walk(lab.http, `/server/data/pages/${pageId}/events?page_size=4`)).toEqual(events.map((e) => e.eventID));
    expect(await walk(lab.http, `/server/data/pages/${pageId}/events?page_size=4&eventName=AddToCart`)).toEqual(
      business.filter((e) => e.eventName === 'AddToCart').map((e) => e.eventID),
    );
  });
});
