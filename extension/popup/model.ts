// What the popup shows, computed from the worker's tab view: pure functions, unit-tested.
import type { GtEvent } from '../../protocol/events';
import type { CaptureRecord } from '../shared/capture';
import type { Delivery } from '../shared/messages';
import { identityTransitionOf } from '../../protocol/event-names';

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

export function identityTransition(record: CaptureRecord): GtEvent | undefined {
  return record.events.find((e) => identityTransitionOf(e) !== undefined);
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

export function recordCount(groups: PageGroup[]): number {
  return groups.reduce((n, g) => n + g.records.length, 0);
}

/** The first `max` records of the groups, in order (newest first), and how many that is. */
export function capGroups(groups: PageGroup[], max: number): { groups: PageGroup[]; count: number } {
  const out: PageGroup[] = [];
  let count = 0;
  for (const g of groups) {
    if (count >= max) break;
    const records = g.records.length <= max - count ? g.records : g.records.slice(0, max - count);
    out.push(records === g.records ? g : { ...g, records });
    count += records.length;
  }
  return { groups: out, count };
}

export { localVisitorState } from '../shared/visitor-state';
