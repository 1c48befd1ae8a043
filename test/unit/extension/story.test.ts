// storyFromCapture: a tab's capture log as the timeline's Story.
import { describe, expect, it } from 'vitest';
import type { GtEvent } from '../../../protocol/events';
import type { CaptureRecord } from '../../../extension/shared/capture';
import type { Delivery } from '../../../extension/shared/messages';
import { pictureNow, storyFromCapture, visitsOf } from '../../../extension/shared/story';

const ids = (visitID: string, pageID: string) => ({ globalVisitID: 'g1', visitID, pageID });
const event = (eventName: string, visitID: string, pageID: string, t: number, extra: Partial<GtEvent> = {}): GtEvent => ({
  eventType: ['PageEntered', 'PageExited', 'SignIn', 'VisitStarted'].includes(eventName) ? 'SYSTEM' : 'BUSINESS',
  eventName,
  eventID: `${pageID}-${eventName}-${t}`,
  timestamp: t,
  globalVisitID: 'g1',
  visitID,
  pageID,
  ...extra,
});

function rec(seq: number, at: number, part: Partial<CaptureRecord>, visitID = 'v1', pageID = 'p1', title = 'Home'): CaptureRecord {
  return { seq, at, source: 'page', command: null, outcome: 'event', events: [], ids: ids(visitID, pageID), page: { url: `http://shop.test/${pageID}`, title }, ...part };
}

const records: CaptureRecord[] = [
  rec(1, 1000, { source: 'tracker', outcome: 'system', events: [event('VisitStarted', 'v1', 'p1', 1000), event('PageEntered', 'v1', 'p1', 1001)] }, 'v1', 'p1', ''),
  rec(2, 1100, { command: ['event', 'SignIn'], outcome: 'rejected', reason: 'SignIn needs userId or email' }),
  rec(3, 1200, { command: ['config', { debug: true }], form: "['config', {...}]", outcome: 'config' }),
  rec(4, 1300, { command: ['event', 'SignIn', { data: { email: 'ann@shop.test' } }], form: "8.5 ['event', 'SignIn', {data}]", events: [event('SignIn', 'v1', 'p1', 1300, { sessionID: 's1', data: { email: 'ann@shop.test' } })] }),
  rec(5, 1400, { command: ['event', 'Bad'], events: [event('Bad', 'v1', 'p1', 1400)] }),
  // The second page, its PageExited arriving after the next page's first record.
  rec(1, 2000, { source: 'tracker', outcome: 'system', events: [event('PageEntered', 'v1', 'p2', 2000)] }, 'v1', 'p2', 'Cart'),
  rec(6, 2100, { source: 'tracker', outcome: 'system', events: [event('PageExited', 'v1', 'p1', 1900)] }),
  // A new visit in the same tab.
  rec(1, 5000, { source: 'tracker', outcome: 'system', events: [event('VisitStarted', 'v2', 'p3', 5000)] }, 'v2', 'p3', 'Home'),
];
const deliveries: Record<string, Delivery> = {
  'p1-VisitStarted-1000': { state: 'accepted', by: 'companion', at: 1 },
  'p1-SignIn-1300': { state: 'duplicate', by: 'companion', at: 2 },
  'p1-Bad-1400': { state: 'rejected', by: 'companion', field: 'data', reason: 'data: nope', at: 3 },
  'p2-PageEntered-2000': { state: 'queued', reason: 'unreachable', at: 4 },
};

describe('storyFromCapture', () => {
  const story = storyFromCapture(records, deliveries, { tabId: 7, visitID: 'v1', visitorState: 'Authenticated' })!;

  it('one moment per event and per push without one, oldest first, of the one visit', () => {
    expect(story.visitID).toBe('v1');
    expect(story.globalVisitID).toBe('g1');
    expect(story.visitorState).toBe('Authenticated');
    expect(story.moments.map((m) => m.event?.eventName ?? `(${m.command?.outcome})`)).toEqual([
      'VisitStarted',
      'PageEntered',
      '(rejected)',
      '(config)',
      'SignIn',
      'Bad',
      'PageExited', // at its own timestamp, before the next page, whatever order it came in
      'PageEntered',
    ]);
    expect(new Set(story.moments.map((m) => m.key)).size).toBe(story.moments.length);
  });

  it('rejected pushes are moments without an event, with the command and the reason', () => {
    const rejected = story.moments.find((m) => m.command?.outcome === 'rejected')!;
    expect(rejected).toMatchObject({ key: 'p1#2', at: 1100, pageID: 'p1', command: { raw: ['event', 'SignIn'], source: 'page', reason: 'SignIn needs userId or email' } });
    expect(rejected.event).toBeUndefined();
    expect(rejected.delivery).toBeUndefined();
  });

  it('each event carries its push, its delivery (without the bookkeeping time), its tab and its page', () => {
    const signIn = story.moments.find((m) => m.event?.eventName === 'SignIn')!;
    expect(signIn.command).toEqual({ raw: ['event', 'SignIn', { data: { email: 'ann@shop.test' } }], form: "8.5 ['event', 'SignIn', {data}]", source: 'page', outcome: 'event' });
    expect(signIn.delivery).toEqual({ state: 'duplicate', by: 'companion' });
    expect(signIn).toMatchObject({ tab: '7', url: 'http://shop.test/p1', title: 'Home' });
    expect(story.moments.find((m) => m.event?.eventName === 'Bad')!.delivery).toEqual({ state: 'rejected', by: 'companion', field: 'data', reason: 'data: nope' });
    // No answer yet: queued.
    expect(story.moments.find((m) => m.event?.eventName === 'PageEntered' && m.pageID === 'p2')!.delivery).toMatchObject({ state: 'queued' });
    expect(story.moments[1].delivery).toEqual({ state: 'queued' });
  });

  it("a page's title set late is every moment's of that page", () => {
    expect(story.moments[0].title).toBe('Home'); // its record had no title yet
    expect(story.moments.find((m) => m.pageID === 'p2')!.title).toBe('Cart');
  });

  it('by default tells the newest visit; null for a log with nothing of the visit', () => {
    expect(storyFromCapture(records, deliveries, { tabId: 7 })!.moments.map((m) => m.event?.eventName)).toEqual(['VisitStarted']);
    expect(storyFromCapture(records, deliveries, { tabId: 7, visitID: 'v9' })).toBeNull();
    expect(storyFromCapture([], {}, { tabId: 7 })).toBeNull();
  });

  it('an eventID seen twice gets two keys', () => {
    const twice = [records[3], { ...records[3], seq: 9 }];
    expect(storyFromCapture(twice, {}, { tabId: 1 })!.moments.map((m) => m.key)).toEqual(['p1-SignIn-1300', 'p1-SignIn-1300~2']);
  });
});

describe('visitsOf', () => {
  it('lists the visits of a log, oldest first', () => {
    expect(visitsOf(records)).toEqual(['v1', 'v2']);
    expect(visitsOf([...records].reverse())).toEqual(['v1', 'v2']);
  });
});

describe('pictureNow', () => {
  const story = storyFromCapture(records, deliveries, { tabId: 7, visitID: 'v1' })!; // moments 1000..2000
  it('the present while it is close to the last moment', () => {
    expect(pictureNow(story, 2100)).toBe(2100);
  });
  it('else a sixth of the span past the last moment (at least 250 ms)', () => {
    expect(pictureNow(story, 99_999)).toBe(2000 + 250); // a 1 s span: a sixth is under 250 ms
    const long = { ...story, moments: [{ ...story.moments[0], at: 0 }, { ...story.moments[1], at: 6000 }] };
    expect(pictureNow(long, 99_999)).toBe(7000);
  });
});
