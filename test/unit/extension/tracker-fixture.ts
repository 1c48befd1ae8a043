// A tracker's parts wired as startTracker wires them, on happy-dom's document (cookies) and a
// window whose document can still be loading (the page view waits for its title).
import type { CaptureRecord } from '../../../extension/shared/capture';
import { COOKIES } from '../../../extension/shared/capture';
import type { TrackerConfig } from '../../../extension/tracker/commands';
import { pageView } from '../../../extension/tracker/page-view';
import { trackerRecords } from '../../../extension/tracker/records';
import type { TrackerHost } from '../../../extension/tracker/tracker';
import { visitIds } from '../../../extension/tracker/visit-ids';

export interface Delivered {
  record: CaptureRecord;
  leaving: boolean;
}

/** A window at `href` whose document is `readyState` (events on it are real DOM events). */
export function pageWindow(readyState: DocumentReadyState, href = 'http://shop.test/cart'): Window {
  const win = new EventTarget() as EventTarget & { document: unknown; location: { href: string } };
  const doc = Object.assign(new EventTarget(), { readyState, title: '', referrer: 'http://shop.test/', cookie: '' });
  // The cookies are happy-dom's document's (a real jar).
  Object.defineProperty(doc, 'cookie', { get: () => document.cookie, set: (v: string) => (document.cookie = v) });
  win.document = doc;
  win.location = { href };
  return win as unknown as Window;
}

export function clearCookies(): void {
  for (const name of Object.values(COOKIES)) document.cookie = `${name}=; path=/; max-age=0`;
}

/** The parts of one tracker on `win`, and what its host was handed. */
export function trackerParts(win: Window, host: Partial<TrackerHost> = {}) {
  const delivered: Delivered[] = [];
  const config: TrackerConfig = {};
  const fullHost: TrackerHost = { emit: (record, _config, leaving) => void delivered.push({ record, leaving }), ...host };
  const visit = visitIds(win.document);
  const [record, deliver] = trackerRecords(win, fullHost, config, visit);
  const view = pageView(win, visit, config, record, deliver);
  const [page, , ids] = visit;
  const [event, emit, follow] = view;
  return { delivered, config, visit, record, deliver, view, page, ids, event, emit, follow };
}

/** The event names of each delivered record, e.g. [['VisitStarted', 'PageEntered'], ['AddToCart']]. */
export const names = (delivered: Delivered[]) => delivered.map((d) => d.record.events.map((e) => e.eventName));
