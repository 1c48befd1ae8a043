// The timeline's view model: state segments and their causes, sessions, lanes, page-view bars,
// revisits, rejected moments.
import { describe, expect, it } from 'vitest';
import { buildTimeline } from '../../../ui/timeline/model';
import type { Story } from '../../../ui/timeline/story';
import { moment, rejectedPush, shopStory, T0 } from './stories';

const s = (sec: number) => T0 + sec * 1000;
const story = (moments: Story['moments'], extra: Partial<Story> = {}): Story => ({ visitID: 'v1', moments, ...extra });

describe('visitor-state band', () => {
  it('segments the shop journey: Anonymous, Authenticated after SignIn naming the identity, Anonymous after SignOut', () => {
    const m = buildTimeline(shopStory());
    expect(m.segments.map((x) => [x.state, x.start, x.end, x.cause.label])).toEqual([
      ['Anonymous', s(0), s(55), 'visit started'],
      ['Authenticated', s(55), s(90), 'SignIn ann@shop.test'],
      // No UserInfo in this visit: signed out is Anonymous again (docs/identification.md).
      ['Anonymous', s(90), s(110), 'SignOut'],
    ]);
    expect(m.segments[1].identity).toBe('ann@shop.test');
    expect(m.segments[1].cause).toMatchObject({ kind: 'SignIn', identity: 'ann@shop.test' });
    expect(m.segments[2].cause.momentKey).toBe(m.marks.find((x) => x.name === 'SignOut')!.key);
    expect(m.segments[2].identity).toBeUndefined();
  });

  it('UserInfo makes Recognized; SignOut after it goes back to Recognized, not Anonymous', () => {
    const m = buildTimeline(
      story([
        moment('PageEntered', 0, 'p1'),
        moment('UserInfo', 5, 'p1', { data: { userId: 'u7' } }),
        moment('SignIn', 10, 'p1', { data: { userId: 'u7' }, sessionID: 's1' }),
        moment('SignOut', 20, 'p1', { sessionID: 's1' }),
      ]),
    );
    expect(m.segments.map((x) => [x.state, x.cause.label])).toEqual([
      ['Anonymous', 'visit started'],
      ['Recognized', 'UserInfo u7'],
      ['Authenticated', 'SignIn u7'],
      ['Recognized', 'SignOut'],
    ]);
    expect(m.segments[3].identity).toBe('u7');
  });

  it('a UserInfo while signed in leaves the visit Authenticated (a session is open)', () => {
    const m = buildTimeline(
      story([
        moment('SignIn', 0, 'p1', { data: { userId: 'u1' }, sessionID: 's1' }),
        moment('UserInfo', 5, 'p1', { data: { userId: 'u1' } }),
        moment('SignOut', 9, 'p1', { sessionID: 's1' }),
      ]),
    );
    expect(m.segments.map((x) => [x.state, x.cause.label])).toEqual([
      ['Authenticated', 'SignIn u1'],
      ['Recognized', 'SignOut'],
    ]);
  });

  it('a SignIn while signed in (another person) is a change of its own', () => {
    const m = buildTimeline(
      story([
        moment('SignIn', 0, 'p1', { data: { email: 'a@x.test' }, sessionID: 's1' }),
        moment('SignIn', 10, 'p1', { data: { userId: 'bob' }, sessionID: 's2' }),
      ]),
    );
    expect(m.segments.map((x) => [x.state, x.cause.label])).toEqual([
      ['Authenticated', 'SignIn a@x.test'],
      ['Authenticated', 'SignIn bob'],
    ]);
    expect(m.sessions.map((x) => [x.sessionID, x.start, x.end, x.open, x.identity])).toEqual([
      ['s1', s(0), s(10), false, 'a@x.test'],
      ['s2', s(10), s(10), true, 'bob'],
    ]);
  });

  it('stateAfter (a stored event) wins over the derivation', () => {
    const m = buildTimeline(story([moment('PageEntered', 0, 'p1'), moment('AddToCart', 5, 'p1', { stateAfter: 'Recognized' })]));
    expect(m.segments.map((x) => [x.state, x.cause.label, x.cause.kind])).toEqual([
      ['Anonymous', 'visit started', 'start'],
      ['Recognized', 'AddToCart', 'event'],
    ]);
  });

  it('the visit’s end closes the session: no longer Authenticated, labelled "visit ended"', () => {
    const m = buildTimeline(story([moment('SignIn', 0, 'p1', { data: { email: 'a@x.test' }, sessionID: 's1' })], { endedAt: s(100) }));
    expect(m.end).toBe(s(100));
    expect(m.segments.map((x) => [x.state, x.start, x.end, x.cause.kind, x.cause.label])).toEqual([
      ['Authenticated', s(0), s(100), 'SignIn', 'SignIn a@x.test'],
      ['Anonymous', s(100), s(100), 'end', 'visit ended'],
    ]);
    expect(m.sessions).toEqual([expect.objectContaining({ sessionID: 's1', end: s(100), open: false })]);
  });

  it('the companion’s visitorState wins at the end, labelled as its word', () => {
    const m = buildTimeline(story([moment('PageEntered', 0, 'p1')], { visitorState: 'Authenticated' }), { now: s(30) });
    expect(m.end).toBe(s(30));
    expect(m.segments.at(-1)).toMatchObject({ state: 'Authenticated', cause: { kind: 'companion' } });
  });

  it('an open visit runs on to now', () => {
    const m = buildTimeline(story([moment('PageEntered', 0, 'p1')]), { now: s(60) });
    expect(m.segments).toEqual([expect.objectContaining({ state: 'Anonymous', start: s(0), end: s(60) })]);
  });

  it('an open visit looked at much later runs on no further than its moments span (a minute at least)', () => {
    const m = buildTimeline(story([moment('PageEntered', 0, 'p1'), moment('AddToCart', 300, 'p1')]), { now: s(3600) });
    expect(m.end).toBe(s(600));
    expect(buildTimeline(story([moment('PageEntered', 0, 'p1')]), { now: s(3600) }).end).toBe(s(60));
  });

  it('rejected moments change nothing', () => {
    const m = buildTimeline(
      story([
        moment('PageEntered', 0, 'p1'),
        moment('SignIn', 5, 'p1', { data: { email: 'a@x.test' }, delivery: { state: 'rejected', reason: 'no' } }),
        rejectedPush(6, 'p1', 'SignIn needs data.userId or data.email'),
      ]),
    );
    expect(m.segments.map((x) => x.state)).toEqual(['Anonymous']);
    expect(m.sessions).toEqual([]);
  });

  it('each mark knows the state before and after it', () => {
    const m = buildTimeline(shopStory());
    const signIn = m.marks.find((x) => x.name === 'SignIn' && !x.rejected)!;
    expect([signIn.stateBefore, signIn.stateAfter]).toEqual(['Anonymous', 'Authenticated']);
    const cart = m.marks.find((x) => x.name === 'AddToCart')!;
    expect([cart.stateBefore, cart.stateAfter]).toEqual(['Authenticated', 'Authenticated']);
  });
});

describe('sessions', () => {
  it('from SignIn to SignOut, named by the sessionID', () => {
    const m = buildTimeline(shopStory());
    expect(m.sessions).toEqual([{ sessionID: 's1', start: s(55), end: s(90), open: false, identity: 'ann@shop.test' }]);
  });

  it('a SignIn without a sessionID gets the companion’s session-<eventID>', () => {
    const signIn = moment('SignIn', 0, 'p1', { data: { userId: 'u' } });
    const m = buildTimeline(story([signIn]));
    expect(m.sessions[0].sessionID).toBe(`session-${signIn.key}`);
  });

  it('events carrying a sessionID whose SignIn is not in the story still show the session', () => {
    const m = buildTimeline(story([moment('AddToCart', 0, 'p1', { sessionID: 'sX' }), moment('AddToCart', 9, 'p1', { sessionID: 'sX' })]));
    expect(m.sessions).toEqual([expect.objectContaining({ sessionID: 'sX', start: s(0), open: true })]);
    expect(m.segments.at(-1)!.state).toBe('Authenticated');
  });
});

describe('page-view bars and lanes', () => {
  it('one bar per page view, from PageEntered to PageExited, titled; a revisit (new pageID) is a new bar', () => {
    const m = buildTimeline(shopStory());
    expect(m.lanes).toHaveLength(1);
    expect(m.lanes[0].bars.map((b) => [b.pageID, b.title, b.start, b.end, b.open])).toEqual([
      ['home', 'Lab Shop', s(0), s(20), false],
      ['products', 'Products', s(21), s(40), false],
      ['login', 'Sign in', s(41), s(60), false],
      ['cart', 'Cart', s(61), s(95), false],
      // Never exited: ends at its last moment.
      ['products2', 'Products', s(100), s(110), true],
    ]);
  });

  it('the title falls back to PageEntered data.title, then the url, then the pageID', () => {
    const withData = moment('PageEntered', 0, 'p1', { data: { title: 'From data' } });
    const noTitle = { ...moment('PageEntered', 1, 'p2'), url: 'http://x.test/a' };
    const bare = { ...moment('PageEntered', 2, 'p3'), url: null };
    const m = buildTimeline(story([withData, noTitle, bare]));
    expect(m.lanes[0].bars.map((b) => b.title)).toEqual(['From data', 'http://x.test/a', 'p3']);
  });

  it('a page never exited ends at its last moment, even when the visit ended later', () => {
    const m = buildTimeline(story([moment('PageEntered', 0, 'p1'), moment('AddToCart', 7, 'p1')], { endedAt: s(50) }));
    expect(m.lanes[0].bars[0]).toMatchObject({ end: s(7), open: true });
  });

  it('page views that overlap in time go on separate lanes when tabs are unknown', () => {
    const m = buildTimeline(
      story([
        moment('PageEntered', 0, 'a'),
        moment('PageEntered', 5, 'b'),
        moment('PageExited', 10, 'a'),
        moment('PageEntered', 12, 'c'),
        moment('PageExited', 20, 'b'),
        moment('PageExited', 22, 'c'),
      ]),
    );
    expect(m.byTab).toBe(false);
    expect(m.lanes.map((l) => l.bars.map((b) => b.pageID))).toEqual([['a', 'c'], ['b']]);
    expect(m.marks.find((x) => x.barKey === 'b')!.lane).toBe(1);
  });

  it('one lane per tab when moments carry one', () => {
    const m = buildTimeline(
      story([
        moment('PageEntered', 0, 'a', { tab: '7' }),
        moment('PageEntered', 1, 'b', { tab: '9' }),
        moment('PageExited', 2, 'a', { tab: '7' }),
        moment('PageEntered', 3, 'c', { tab: '7' }),
      ]),
    );
    expect(m.byTab).toBe(true);
    expect(m.lanes.map((l) => [l.label, l.bars.map((b) => b.pageID)])).toEqual([
      ['Tab 7', ['a', 'c']],
      ['Tab 9', ['b']],
    ]);
  });

  it('tabs whose first pages start together keep the story’s order', () => {
    const m = buildTimeline(story([moment('PageEntered', 0, 'a', { tab: '1' }), moment('PageEntered', 0, 'b', { tab: '2' }), moment('PageExited', 5, 'b', { tab: '2' }), moment('PageExited', 9, 'a', { tab: '1' })]));
    expect(m.lanes.map((l) => l.label)).toEqual(['Tab 1', 'Tab 2']);
  });

  it('moments without a pageID share a "(no page)" bar', () => {
    const m = buildTimeline(story([{ key: 'c#1', at: s(0), pageID: null, command: { raw: ['config', {}], source: 'page', outcome: 'config' } }]));
    expect(m.lanes[0].bars[0]).toMatchObject({ key: '(no page)', title: '(no page)' });
    expect(m.marks[0]).toMatchObject({ kind: 'command', name: 'config' });
  });
});

describe('marks', () => {
  it('every moment is a mark on its page’s bar, in time order, with its kind and delivery', () => {
    const m = buildTimeline(shopStory());
    expect(m.marks).toHaveLength(shopStory().moments.length);
    expect(m.marks.map((x) => x.at)).toEqual([...m.marks.map((x) => x.at)].sort((a, b) => a - b));
    const kinds = Object.fromEntries(m.marks.map((x) => [x.name, x.kind]));
    expect(kinds).toMatchObject({ VisitStarted: 'system', AddToCart: 'business' });
    const push = m.marks.find((x) => x.moment.command?.outcome === 'rejected')!;
    expect(push).toMatchObject({ kind: 'command', name: 'SignIn', rejected: true, deliveryText: 'rejected in the page', barKey: 'login' });
    expect(m.marks.at(-1)).toMatchObject({ delivery: 'queued', deliveryText: 'queued', rejected: false });
  });

  it('counts rejected moments (in the page and by the companion), per visit and per bar', () => {
    const m = buildTimeline(shopStory());
    expect(m.rejected).toBe(2);
    expect(m.lanes[0].bars.map((b) => b.rejected)).toEqual([0, 0, 1, 1, 0]);
    expect(m.marks.filter((x) => x.rejected).map((x) => x.name)).toEqual(['SignIn', 'Checkout']);
  });

  it('an empty story has a domain, a band and no marks', () => {
    const m = buildTimeline(story([]), { now: s(5) });
    expect(m.marks).toEqual([]);
    expect(m.segments).toHaveLength(1);
    expect(m.start).toBe(s(5));
  });

  it('moments at the same ms keep the story’s order', () => {
    const a = moment('VisitStarted', 0, 'p1');
    const b = moment('PageEntered', 0, 'p1');
    const m = buildTimeline(story([a, b]));
    expect(m.marks.map((x) => x.key)).toEqual([a.key, b.key]);
  });
});
