// PageExited, recorded by the worker rather than sent by the page being left: a message sent from
// `pagehide` held up the commit of the next page (docs/performance.md, "Page load"). A page view
// is over when a later one of the same tab is captured (a navigation, back/forward, a return from
// the back/forward cache), when the tab goes to a page that is not tracked, or when it closes.
// The event's id is `<pageID>.exit`, the one the standalone GPE.min.js gives its own PageExited,
// so the companion can never store two for one page.
import type { GtEvent } from '../../protocol/events';
import type { CaptureRecord } from '../shared/capture';
import type { CaptureLog, TabLog } from './capture-log';
import type { Courier } from './delivery';
import type { Outbox } from './outbox';

interface PageView {
  entered: GtEvent;
  /** The page's newest record: its address, title and session when it was left. */
  last: CaptureRecord;
  exited: boolean;
}

/** The tab's page views by pageID, the incoming record's included. */
function pageViews(records: CaptureRecord[]): Map<string, PageView> {
  const pages = new Map<string, PageView>();
  for (const r of records) {
    for (const ev of r.events) {
      if (!ev.pageID) continue;
      let view = pages.get(ev.pageID);
      if (ev.eventName === 'PageEntered') {
        if (!view) pages.set(ev.pageID, (view = { entered: ev, last: r, exited: false }));
        else view.entered = ev;
      }
      if (!view) continue;
      if (ev.eventName === 'PageExited') view.exited = true;
      if (r.at >= view.last.at && r.ids.pageID === ev.pageID) view.last = r;
    }
  }
  return pages;
}

/** The record of a page's PageExited at `at`, as the tracker would have made it when leaving. */
export function exitRecord(view: PageView, at: number): CaptureRecord {
  const { entered, last } = view;
  const event: GtEvent = { ...entered, eventName: 'PageExited', eventID: `${String(entered.pageID)}.exit`, timestamp: at, url: last.page.url, data: {} };
  // The session the page was last in (it may have signed in or out since PageEntered).
  delete event.sessionID;
  if (last.ids.sessionID) event.sessionID = last.ids.sessionID;
  // seq 0: the tracker numbers its records from 1, so this key cannot hide one of the page's.
  return { seq: 0, at, source: 'tracker', command: null, outcome: 'system', events: [event], ids: { ...last.ids, pageID: String(entered.pageID) }, page: { ...last.page } };
}

/**
 * PageExited records for the tab's page views that a later page view (in `log` or `incoming`)
 * ended: each at the moment the next one started. Records may arrive out of order (a page left
 * before its relay came hands its records to the next page), so every page is looked at.
 */
export function exitsBefore(log: TabLog, incoming: CaptureRecord): CaptureRecord[] {
  if (!incoming.events.some((e) => e.eventName === 'PageEntered')) return [];
  const views = [...pageViews([...log.records, incoming]).values()].sort((a, b) => a.entered.timestamp - b.entered.timestamp);
  const exits: CaptureRecord[] = [];
  views.forEach((view, i) => {
    const next = views[i + 1];
    if (!view.exited && next) exits.push(exitRecord(view, next.entered.timestamp));
  });
  return exits;
}

/** The tab's newest page view as exited at `at` (the tab closed or left the tracked sites), unless it was. */
export function exitOfCurrent(log: TabLog, at: number): CaptureRecord | null {
  const pageID = log.ids?.pageID;
  const view = pageID ? pageViews(log.records).get(pageID) : undefined;
  return view && !view.exited ? exitRecord(view, Math.max(at, view.entered.timestamp)) : null;
}

interface ExitWorker {
  log: CaptureLog;
  outbox: Outbox;
  courier: Pick<Courier, 'flush'>;
}

/** The tab left its tracked page for one that is not tracked: that page's PageExited, now. */
export async function leaveTrackedPage(w: ExitWorker, tabId: number, at = Date.now()): Promise<void> {
  const exit = exitOfCurrent(await w.log.get(tabId), at);
  if (!exit) return;
  await w.outbox.add(exit.events, tabId);
  await w.log.deliver(tabId, [[exit.events[0].eventID, { state: 'queued', at }]], true);
  await w.log.add(tabId, exit);
  void w.courier.flush();
}
