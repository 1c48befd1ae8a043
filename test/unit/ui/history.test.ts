// Stories from the History API: stored events become moments with their visitorState, pages
// give titles and urls, an identity's visits become one story each.
import { describe, expect, it } from 'vitest';
import type { PageResource, VisitResource } from '../../../protocol/resources';
import { buildTimeline } from '../../../ui/timeline/model';
import { identityStories, storyFromHistory } from '../../../ui/timeline/history';
import { ev, stored, T0 } from './stories';

const s = (sec: number) => T0 + sec * 1000;

function visit(visitId: string, extra: Partial<VisitResource> = {}): VisitResource {
  return {
    visitId, globalVisitID: 'g1', startDate: s(0), endDate: 0, userAgentId: null, userAgent: null,
    visitorState: 'Anonymous', activeSessionId: null, identityIds: [], eventIds: null, events: null, pageIds: null, pages: null, ...extra,
  };
}
function page(visitId: string, browserPageID: string, title: string, url: string): PageResource {
  return { pageId: `${visitId}:${browserPageID}`, browserPageID, visitId, url, title, referrer: null, category: null, startDate: s(0), endDate: 0, eventIds: null, events: null };
}

describe('storyFromHistory', () => {
  const events = [
    stored(ev('SignIn', s(10), { pageID: 'p1', visitID: 'v1', data: { email: 'ann@shop.test' }, sessionID: 's1' }), 'Authenticated'),
    stored(ev('PageEntered', s(0), { pageID: 'p1', visitID: 'v1', data: { title: 'Home (data)' } }), 'Anonymous'),
    stored(ev('AddToCart', s(20), { pageID: 'p2', visitID: 'v1', url: 'http://shop.test/cart' }), 'Authenticated'),
    stored(ev('PageEntered', s(0), { pageID: 'x', visitID: 'other' }), 'Anonymous'),
  ];

  it('turns stored events into moments, oldest first, with stateAfter from visitorState', () => {
    const story = storyFromHistory(visit('v1', { visitorState: 'Authenticated' }), events, [page('v1', 'p1', 'Home', 'http://shop.test/')]);
    expect(story).toMatchObject({ visitID: 'v1', globalVisitID: 'g1', visitorState: 'Authenticated', endedAt: undefined });
    expect(story.moments.map((m) => [m.event!.eventName, m.pageID, m.stateAfter, m.title, m.url])).toEqual([
      ['PageEntered', 'p1', 'Anonymous', 'Home', 'http://shop.test/'],
      ['SignIn', 'p1', 'Authenticated', 'Home', 'http://shop.test/'],
      // No page resource: the event's own url, no title.
      ['AddToCart', 'p2', 'Authenticated', null, 'http://shop.test/cart'],
    ]);
    expect(story.moments[0].key).toBe(story.moments[0].event!.eventID);
  });

  it('takes the visit’s embedded events and pages, and its endDate as the end', () => {
    const story = storyFromHistory(visit('v1', { endDate: s(99), events, pages: [page('v1', 'p1', 'Home', 'u')] }));
    expect(story.endedAt).toBe(s(99));
    expect(story.moments).toHaveLength(3);
    const model = buildTimeline(story);
    expect(model.lanes[0].bars.map((b) => b.title)).toEqual(['Home', 'http://shop.test/cart']);
    expect(model.marks.map((m) => m.deliveryText)).toEqual(['stored', 'stored', 'stored']);
    expect(model.segments.map((x) => [x.state, x.cause.label])).toEqual([
      ['Anonymous', 'visit started'],
      ['Authenticated', 'SignIn ann@shop.test'],
      ['Anonymous', 'visit ended'],
    ]);
  });

  it('breaks equal timestamps by the companion’s receipt order', () => {
    const a = { ...stored(ev('A', s(1), { visitID: 'v1' }), 'Anonymous'), serverTimestamp: 2 };
    const b = { ...stored(ev('B', s(1), { visitID: 'v1' }), 'Anonymous'), serverTimestamp: 1 };
    expect(storyFromHistory(visit('v1'), [a, b]).moments.map((m) => m.event!.eventName)).toEqual(['B', 'A']);
  });
});

describe('identityStories', () => {
  it('one story per visit, oldest visit first, each with its own events and pages', () => {
    const v1 = visit('v1', { startDate: s(100) });
    const v2 = visit('v2', { startDate: s(0) });
    const events = [
      stored(ev('UserInfo', s(101), { visitID: 'v1', pageID: 'a', data: { userId: 'u' } }), 'Recognized'),
      stored(ev('SignIn', s(1), { visitID: 'v2', pageID: 'b', data: { userId: 'u' } }), 'Authenticated'),
    ];
    const stories = identityStories({ visits: [v1, v2] }, events, [page('v1', 'a', 'A', 'ua'), page('v2', 'b', 'B', 'ub')]);
    expect(stories.map((x) => [x.visitID, x.moments.map((m) => [m.event!.eventName, m.title])])).toEqual([
      ['v2', [['SignIn', 'B']]],
      ['v1', [['UserInfo', 'A']]],
    ]);
    expect(identityStories(null, events, undefined, [v1]).map((x) => x.visitID)).toEqual(['v1']);
  });
});
