// What the popup shows, computed from the worker's tab view: pure functions, unit-tested.
import type { GtEvent, VisitorState } from '../../protocol/events';
import type { CaptureRecord } from '../shared/capture';
import type { Delivery } from '../shared/messages';

export interface PageGroup {
  pageID: string;
  visitID: string;
  url: string;
  title: string;
  /** When the page view started (its first record). */
  at: number;
  /** Newest first. */
  records: CaptureRecord[];
}

const IDENTITY_EVENTS = ['SignIn', 'SignOut', 'UserInfo'];

export function identityTransition(record: CaptureRecord): GtEvent | undefined {
  return record.events.find((e) => e.eventType === 'SYSTEM' && IDENTITY_EVENTS.includes(e.eventName));
}

/** Records grouped by page view, newest page first and newest record first within a page. */
export function groupByPage(records: CaptureRecord[]): PageGroup[] {
  const pages = new Map<string, PageGroup>();
  for (const r of records) {
    let page = pages.get(r.ids.pageID);
    if (!page) {
      page = { pageID: r.ids.pageID, visitID: r.ids.visitID, url: r.page.url, title: r.page.title, at: r.at, records: [] };
      pages.set(r.ids.pageID, page);
    }
    page.records.push(r);
    page.at = Math.min(page.at, r.at);
    if (r.page.title) page.title = r.page.title;
  }
  const groups = [...pages.values()];
  for (const g of groups) g.records.sort((a, b) => b.seq - a.seq);
  return groups.sort((a, b) => b.at - a.at);
}

/** A record matches when the filter text occurs in its command, events, reason or delivery. */
export function matchesFilter(record: CaptureRecord, deliveries: Record<string, Delivery>, filter: string): boolean {
  const needle = filter.trim().toLowerCase();
  if (!needle) return true;
  const states = record.events.map((e) => deliveries[e.eventID]?.state ?? '').join(' ');
  const hay = `${JSON.stringify(record.command)} ${record.form ?? ''} ${record.outcome} ${record.reason ?? ''} ${JSON.stringify(record.events)} ${states}`;
  return hay.toLowerCase().includes(needle);
}

export function filterGroups(groups: PageGroup[], deliveries: Record<string, Delivery>, filter: string): PageGroup[] {
  if (!filter.trim()) return groups;
  return groups
    .map((g) => ({ ...g, records: g.records.filter((r) => matchesFilter(r, deliveries, filter)) }))
    .filter((g) => g.records.length > 0);
}

/**
 * The visitor state as this tab's own events tell it (contract section 3): what the popup shows
 * when the companion cannot be asked. Authenticated while a session is open; else Recognized
 * after a UserInfo in the visit; else Anonymous.
 */
export function localVisitorState(records: CaptureRecord[], visitID: string): VisitorState {
  const events = records
    .flatMap((r) => r.events)
    .filter((e) => e.visitID === visitID)
    .sort((a, b) => a.timestamp - b.timestamp);
  let session = false;
  let userInfo = false;
  for (const e of events) {
    if (e.eventType !== 'SYSTEM') continue;
    if (e.eventName === 'SignIn') session = true;
    else if (e.eventName === 'SignOut') session = false;
    else if (e.eventName === 'UserInfo') userInfo = true;
  }
  return session ? 'Authenticated' : userInfo ? 'Recognized' : 'Anonymous';
}
