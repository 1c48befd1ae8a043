// Visits: created by VisitStarted or implicitly by an event for an unknown visitID; the visit's
// user agent and its userAgentId. Expiry by inactivity: visit-expiry.test.ts.
import { describe, expect, it } from 'vitest';
import { eventOf, applyOperation, DEFAULT_ENGINE_CONFIG, emptyState, userAgentIdOf } from '../../../companion/engine';
import { endDateOf, visitorStateOf } from '../../../companion/engine/visitor-state';
import { ev, pageEntered, visitCtx, visitStarted } from '../../helpers/events';
import { applierWith, T0 } from './apply-helpers';

const apply = applierWith('UA-header/1.0');

describe('VisitStarted', () => {
  it('creates the visit from the event', () => {
    const state = emptyState();
    const c = visitCtx('v-start', 'g-start', T0);
    const start = visitStarted(c);
    apply(state, [start]);
    const visit = state.visits['v-start'];
    expect(visit).toEqual({
      visitId: 'v-start',
      globalVisitID: 'g-start',
      startDate: T0 + 1000,
      lastActivity: T0 + 1000,
      userAgent: 'UA-header/1.0',
      userAgentId: userAgentIdOf('UA-header/1.0'),
      implicit: false,
      pageIds: [],
      eventIds: [start.eventID],
      identities: [],
      activeSessionId: null,
      userInfoAt: null,
      orphanSignOutAt: null,
      // VisitStarted waits for its page's PageEntered.
      unpaged: { [`p:${start.pageID}`]: [start.eventID] },
    });
    expect(state.visitOrder).toEqual(['v-start']);
    expect(eventOf(state, start.eventID).visitorState).toBe('Anonymous');
    expect(endDateOf(visit, T0 + 1000, DEFAULT_ENGINE_CONFIG)).toBe(0);
    expect(visitorStateOf(visit, T0 + 1000, DEFAULT_ENGINE_CONFIG)).toBe('Anonymous');
  });

  it('keeps one visit per visitID and adds later events to it', () => {
    const state = emptyState();
    const c = visitCtx('v-one', 'g-one', T0);
    const events = [visitStarted(c), pageEntered(c, 'p1'), ev(c, 'AddToCart')];
    apply(state, events);
    expect(Object.keys(state.visits)).toEqual(['v-one']);
    expect(state.visitOrder).toEqual(['v-one']);
    expect(state.visits['v-one'].eventIds).toEqual(events.map((e) => e.eventID));
    expect(state.visits['v-one'].lastActivity).toBe(T0 + 3000);
    expect(state.visits['v-one'].startDate).toBe(T0 + 1000);
  });

  it('lists visits in the order they were created', () => {
    const state = emptyState();
    const a = visitCtx('v-b', 'g', T0);
    const b = visitCtx('v-a', 'g', T0);
    apply(state, [visitStarted(a), visitStarted(b)]);
    expect(state.visitOrder).toEqual(['v-b', 'v-a']);
  });

  it('a second VisitStarted for a started visit changes neither its globalVisitID nor its start', () => {
    const state = emptyState();
    const c = visitCtx('v-twice', 'g-first', T0);
    apply(state, [visitStarted(c)]);
    apply(state, [visitStarted(c, { globalVisitID: 'g-second' })]);
    const visit = state.visits['v-twice'];
    expect(visit.globalVisitID).toBe('g-first');
    expect(visit.startDate).toBe(T0 + 1000);
    expect(visit.lastActivity).toBe(T0 + 2000);
    expect(visit.eventIds).toHaveLength(2);
    expect(state.visitOrder).toEqual(['v-twice']);
  });
});

describe('implicit visit (event for an unknown visitID)', () => {
  it('is created from the first event it hears of, then VisitStarted fills it in', () => {
    const state = emptyState();
    const c = visitCtx('v-impl', 'g-real', T0);
    const start = visitStarted(c); // T0+1000, reaches the companion late
    const page = pageEntered(c, 'p1'); // T0+2000
    page.globalVisitID = 'g-from-page';
    apply(state, [page]);
    let visit = state.visits['v-impl'];
    expect(visit.implicit).toBe(true);
    expect(visit.startDate).toBe(T0 + 2000);
    expect(visit.lastActivity).toBe(T0 + 2000);
    expect(visit.globalVisitID).toBe('g-from-page');
    expect(visit.pageIds).toEqual(['v-impl:p1']);

    apply(state, [start]);
    visit = state.visits['v-impl'];
    expect(visit.implicit).toBe(false);
    expect(visit.startDate).toBe(T0 + 1000); // the earliest start wins
    expect(visit.lastActivity).toBe(T0 + 2000); // the late VisitStarted does not move activity back
    expect(visit.globalVisitID).toBe('g-real');
    expect(visit.eventIds).toEqual([page.eventID, start.eventID]);
    expect(state.visitOrder).toEqual(['v-impl']);
  });

  it('keeps the earlier start when VisitStarted is later than the first event', () => {
    const state = emptyState();
    const c = visitCtx('v-min', 'g', T0);
    const early = ev(c, 'AddToCart'); // T0+1000
    const start = visitStarted(c); // T0+2000
    apply(state, [early, start]);
    expect(state.visits['v-min'].startDate).toBe(T0 + 1000);
    expect(state.visits['v-min'].implicit).toBe(false);
  });

  it('moves startDate back when an older event arrives after the start', () => {
    const state = emptyState();
    const c = visitCtx('v-older', 'g', T0);
    const older = ev(c, 'AddToCart'); // T0+1000
    const start = visitStarted(c); // T0+2000
    apply(state, [start]);
    apply(state, [older]);
    expect(state.visits['v-older'].startDate).toBe(T0 + 1000);
    expect(state.visits['v-older'].lastActivity).toBe(T0 + 2000);
  });

  it('a visit created by the History API ("visit" operation) is not implicit and is not duplicated', () => {
    const state = emptyState();
    applyOperation(
      state,
      { seq: 1, op: { kind: 'visit', visit: { visitId: 'v-api', globalVisitID: 'g-api', startDate: T0, userAgent: null } } },
      DEFAULT_ENGINE_CONFIG,
    );
    applyOperation(
      state,
      { seq: 2, op: { kind: 'visit', visit: { visitId: 'v-api', globalVisitID: 'g-other', startDate: T0 + 5, userAgent: 'X' } } },
      DEFAULT_ENGINE_CONFIG,
    );
    expect(state.visits['v-api']).toMatchObject({ implicit: false, globalVisitID: 'g-api', startDate: T0, userAgent: null, userAgentId: null });
    expect(state.visitOrder).toEqual(['v-api']);
    expect(state.seq).toBe(2);
  });
});

describe('user agent', () => {
  it("prefers data.userAgent of the visit's first event over the request's User-Agent", () => {
    const state = emptyState();
    const c = visitCtx('v-ua-data', 'g', T0);
    apply(state, [visitStarted(c, { data: { userAgent: 'Mozilla/5.0 (Data)' } })], DEFAULT_ENGINE_CONFIG, 'Header/1');
    expect(state.visits['v-ua-data'].userAgent).toBe('Mozilla/5.0 (Data)');
    expect(state.visits['v-ua-data'].userAgentId).toBe(userAgentIdOf('Mozilla/5.0 (Data)'));
  });

  it("falls back to the request's User-Agent, and is null when there is neither", () => {
    const state = emptyState();
    const a = visitCtx('v-ua-header', 'g', T0);
    const b = visitCtx('v-ua-none', 'g', T0);
    apply(state, [visitStarted(a)], DEFAULT_ENGINE_CONFIG, 'Header/1');
    apply(state, [visitStarted(b)], DEFAULT_ENGINE_CONFIG, null);
    expect(state.visits['v-ua-header'].userAgent).toBe('Header/1');
    expect(state.visits['v-ua-header'].userAgentId).toBe(userAgentIdOf('Header/1'));
    expect(state.visits['v-ua-none'].userAgent).toBeNull();
    expect(state.visits['v-ua-none'].userAgentId).toBeNull();
  });

  it('an implicit visit that has no user agent takes the one of the VisitStarted that follows', () => {
    const state = emptyState();
    const c = visitCtx('v-ua-impl', 'g', T0);
    const start = visitStarted(c, { data: { userAgent: 'Late/2' } });
    apply(state, [pageEntered(c, 'p1')], DEFAULT_ENGINE_CONFIG, null);
    expect(state.visits['v-ua-impl'].userAgent).toBeNull();
    apply(state, [start], DEFAULT_ENGINE_CONFIG, null);
    expect(state.visits['v-ua-impl'].userAgent).toBe('Late/2');
    expect(state.visits['v-ua-impl'].userAgentId).toBe(userAgentIdOf('Late/2'));
  });

  it('is not replaced by later events or requests', () => {
    const state = emptyState();
    const c = visitCtx('v-ua-keep', 'g', T0);
    apply(state, [visitStarted(c, { data: { userAgent: 'First/1' } })], DEFAULT_ENGINE_CONFIG, 'Header/1');
    apply(state, [ev(c, 'AddToCart', { data: { userAgent: 'Other/9' } }), visitStarted(c, { data: { userAgent: 'Other/9' } })], DEFAULT_ENGINE_CONFIG, 'Header/2');
    expect(state.visits['v-ua-keep'].userAgent).toBe('First/1');
    expect(state.visits['v-ua-keep'].userAgentId).toBe(userAgentIdOf('First/1'));
  });

  it('ignores a data.userAgent that is not a string', () => {
    const state = emptyState();
    const c = visitCtx('v-ua-num', 'g', T0);
    apply(state, [visitStarted(c, { data: { userAgent: 42 } })], DEFAULT_ENGINE_CONFIG, 'Header/3');
    expect(state.visits['v-ua-num'].userAgent).toBe('Header/3');
  });

  it('userAgentId is a short stable hash: same agent, same id; different agent, different id', () => {
    const ua = 'Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0';
    const id = userAgentIdOf(ua);
    expect(id).toMatch(/^ua-[0-9a-f]{12}$/);
    expect(userAgentIdOf(ua)).toBe(id);
    expect(userAgentIdOf(ua + ' ')).not.toBe(id);
    expect(userAgentIdOf(null)).toBeNull();
    expect(userAgentIdOf('')).toBeNull();

    // Two visits (in two separately built states) from the same browser share the id.
    const s1 = emptyState();
    const s2 = emptyState();
    apply(s1, [visitStarted(visitCtx('v-ua-1', 'g', T0))], DEFAULT_ENGINE_CONFIG, ua);
    apply(s1, [visitStarted(visitCtx('v-ua-2', 'g', T0))], DEFAULT_ENGINE_CONFIG, ua);
    apply(s2, [visitStarted(visitCtx('v-ua-3', 'g', T0))], DEFAULT_ENGINE_CONFIG, ua);
    apply(s1, [visitStarted(visitCtx('v-ua-4', 'g', T0))], DEFAULT_ENGINE_CONFIG, 'Other/1');
    expect(s1.visits['v-ua-1'].userAgentId).toBe(id);
    expect(s1.visits['v-ua-2'].userAgentId).toBe(id);
    expect(s2.visits['v-ua-3'].userAgentId).toBe(id);
    expect(s1.visits['v-ua-4'].userAgentId).not.toBe(id);
  });
});
