// The page view's life (contract section 2): VisitStarted and PageEntered once the title is
// known, what was pushed meanwhile after them, PageExited when the page is left, and a new page
// view (maybe of a new visit) when the page comes back from the back/forward cache.
import type { GtEvent } from '../../protocol/events';
import type { CaptureRecord } from '../shared/capture';
import type { TrackerConfig } from './commands';
import { newId } from './cookies';
import type { Deliver, MakeRecord } from './records';
import type { PageIds, VisitIds } from './visit-ids';

/** A GWE event of this page view, stamped `at`. */
export type MakeEvent = (eventType: GtEvent['eventType'], eventName: string, data: Record<string, unknown>, at: number) => GtEvent;

/** A tuple for GPE.min.js's size (see VisitIds). */
export type PageView = [
  event: MakeEvent,
  /** Delivers a record, or holds it until the page view's first events have gone. */
  emit: Deliver,
  /** Announces the page view once its title is known, and follows it out and back (bfcache). */
  follow: () => void,
];

/** A GWE event of the page view `page` (contract section 1's fields, in GWE's order). */
function gtEvent(
  page: PageIds,
  config: TrackerConfig,
  eventType: GtEvent['eventType'],
  eventName: string,
  data: Record<string, unknown>,
  at: number,
  sessionID: string | undefined,
  url: string,
): GtEvent {
  const ev: GtEvent = {
    eventType,
    eventName,
    eventID: newId(),
    pageID: page.pageID,
    timestamp: at,
    // GWE always sends it; the server fills in the categories.
    category: '',
    url,
    globalVisitID: page.globalVisitID,
    visitID: page.visitID,
    data,
  };
  if (sessionID) ev.sessionID = sessionID;
  if (config.languageCode) ev.languageCode = config.languageCode;
  return ev;
}

export function pageView(win: Window, visit: VisitIds, config: TrackerConfig, record: MakeRecord, deliver: Deliver): PageView {
  const doc = win.document;
  const [page, session, , enterPage] = visit;
  let announced = false;
  const held: Array<[CaptureRecord, unknown]> = [];
  // What the page view started with (set by enter); `open` until it is left. Plain variables,
  // not an object: their names minify in GPE.min.js.
  let startedAt: number;
  let newVisit: boolean;
  let startUrl: string;
  let startSession: string | undefined;
  let open: boolean;
  const enter = (): void => {
    startedAt = Date.now();
    newVisit = enterPage();
    startUrl = win.location.href;
    startSession = session();
    open = true;
  };

  /** An event made now: the session and address of now. */
  const event: MakeEvent = (eventType, eventName, data, at) => gtEvent(page, config, eventType, eventName, data, at, session(), win.location.href);
  /** One of the page view's first events, built once the title is known but saying what was true then. */
  const startEvent = (eventName: string, data: Record<string, unknown>): GtEvent =>
    gtEvent(page, config, 'SYSTEM', eventName, data, startedAt, startSession, startUrl);

  const emit: Deliver = (rec, leaving, raw) => {
    if (announced) deliver(rec, leaving, raw);
    else held.push([rec, raw]);
  };

  /** Once the title is known: VisitStarted and PageEntered, then what was pushed meanwhile. */
  const announce = (): void => {
    if (announced) return;
    announced = true;
    const at = startedAt;
    const rec = record('tracker', null, at, { kind: 'event' });
    if (newVisit) {
      const visitStarted = startEvent('VisitStarted', {});
      // GWE's VisitStarted carries the browser's offset from UTC (minutes).
      visitStarted.timezoneOffset = new Date(at).getTimezoneOffset();
      rec.events.push(visitStarted);
    }
    rec.events.push(startEvent('PageEntered', { title: doc.title, referrer: doc.referrer }));
    // The ids of then: the session the page view started with.
    rec.ids = { ...page };
    if (startSession) rec.ids.sessionID = startSession;
    deliver(rec);
    for (const [r, raw] of held.splice(0)) {
      // GPE.min.js's records have no page (records.ts).
      if (r.page) r.page.title = doc.title;
      deliver(r, false, raw);
    }
  };

  const exit = (): void => {
    if (!open) return;
    announce();
    open = false;
    const at = Date.now();
    const rec = record('tracker', null, at, { kind: 'event' });
    const ev = event('SYSTEM', 'PageExited', {}, at);
    // Derived from the page: the worker can send the same event for a tab that closed too fast.
    ev.eventID = `${page.pageID}.exit`;
    rec.events.push(ev);
    deliver(rec, true);
  };

  const follow = (): void => {
    if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', announce, { once: true });
    else announce();
    win.addEventListener('pagehide', exit);
    win.addEventListener('pageshow', (e) => {
      // Back from the bfcache: a new page view, maybe of a new visit if the session ended.
      if (!(e as PageTransitionEvent).persisted || open) return;
      enter();
      announced = false;
      announce();
    });
  };

  enter();
  return [event, emit, follow];
}
