// Stories for the timeline's tests (and its demo screenshots): a captured Lab Shop journey with
// a rejected push, a rejected event and a second tab, built with small helpers.
import type { GtEvent, StoredEvent, VisitorState } from '../../../protocol/events';
import type { Moment, MomentDelivery, Story } from '../../../ui/timeline/story';

export const T0 = Date.UTC(2026, 10, 29, 21, 0, 0);

let n = 0;
export function ev(eventName: string, at: number, extra: Partial<GtEvent> = {}): GtEvent {
  const system = ['VisitStarted', 'PageEntered', 'PageExited', 'SignIn', 'SignOut', 'UserInfo'].includes(eventName);
  return { eventType: system ? 'SYSTEM' : 'BUSINESS', eventName, eventID: `e${++n}`, timestamp: at, globalVisitID: 'g1', visitID: 'v1', ...extra };
}

/** A captured moment: an event on a page, accepted unless told otherwise. */
export function moment(eventName: string, atS: number, pageID: string, opts: { data?: Record<string, unknown>; delivery?: MomentDelivery; tab?: string; sessionID?: string; title?: string; stateAfter?: VisitorState } = {}): Moment {
  const at = T0 + atS * 1000;
  const event = ev(eventName, at, { pageID, data: opts.data, sessionID: opts.sessionID });
  return {
    key: event.eventID,
    at,
    pageID,
    tab: opts.tab,
    url: `http://127.0.0.1:8080/${pageID}`,
    title: opts.title ?? null,
    event,
    command: { raw: ['event', eventName, { data: opts.data ?? {} }], form: `8.5 ['event', name, {data}]`, source: 'page', outcome: 'event' },
    delivery: opts.delivery ?? { state: 'accepted', by: 'companion' },
    stateAfter: opts.stateAfter,
  };
}

/** A push refused in the page: no event. */
export function rejectedPush(atS: number, pageID: string, reason: string): Moment {
  return {
    key: `${pageID}#${atS}`,
    at: T0 + atS * 1000,
    pageID,
    command: { raw: ['event', 'SignIn', { data: {} }], form: `8.5 ['event', 'SignIn', {data}]`, source: 'page', outcome: 'rejected', reason },
  };
}

/** The Lab Shop: home, products, sign in, cart (with a rejected push), sign out, product again. */
export function shopStory(): Story {
  n = 0; // the same eventIDs each time: tests compare keys with a story of their own
  const ann = { email: 'ann@shop.test', firstName: 'Ann' };
  return {
    visitID: 'v1',
    globalVisitID: 'g1',
    moments: [
      moment('VisitStarted', 0, 'home'),
      moment('PageEntered', 0, 'home', { title: 'Lab Shop' }),
      moment('PageExited', 20, 'home', { title: 'Lab Shop' }),
      moment('PageEntered', 21, 'products', { title: 'Products' }),
      moment('ProductViewed', 30, 'products', { title: 'Products', data: { sku: '42' } }),
      moment('PageExited', 40, 'products', { title: 'Products' }),
      moment('PageEntered', 41, 'login', { title: 'Sign in' }),
      rejectedPush(50, 'login', 'SignIn needs data.userId or data.email (a non-empty string)'),
      moment('SignIn', 55, 'login', { title: 'Sign in', data: ann, sessionID: 's1' }),
      moment('PageExited', 60, 'login', { title: 'Sign in', sessionID: 's1' }),
      moment('PageEntered', 61, 'cart', { title: 'Cart', sessionID: 's1' }),
      moment('AddToCart', 70, 'cart', { title: 'Cart', sessionID: 's1', data: { sku: '42' } }),
      moment('Checkout', 80, 'cart', {
        title: 'Cart',
        sessionID: 's1',
        delivery: { state: 'rejected', by: 'companion', field: 'eventID', reason: 'eventID e1 is used by another event of visit v0' },
      }),
      moment('SignOut', 90, 'cart', { title: 'Cart', sessionID: 's1' }),
      moment('PageExited', 95, 'cart', { title: 'Cart' }),
      moment('PageEntered', 100, 'products2', { title: 'Products' }),
      moment('ProductViewed', 110, 'products2', { title: 'Products', delivery: { state: 'queued' } }),
    ],
  };
}

/** A stored event as the History API serves it. */
export function stored(e: GtEvent, visitorState: VisitorState): StoredEvent {
  return { ...e, serverTimestamp: e.timestamp + 5, browserPageID: e.pageID ?? null, visitorState };
}
