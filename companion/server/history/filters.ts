// The History API filters. Text filters on url, title, userAgent and location match a part
// of the value; ids and names match exactly; category matches one of the event's
// semicolon-separated categories, or any of them for `all categories`.
import type { StoredEvent } from '../../../protocol';
import { eventTime, type IdentityRecord, type PageRecord, type VisitRecord } from '../../engine';
import type { Parsed } from './query';
import { ALL_CATEGORIES } from '../../categories/definitions';

type Pred<T> = (item: T) => boolean;

function all<T>(preds: (Pred<T> | false)[]): Pred<T> {
  const active = preds.filter((p): p is Pred<T> => p !== false);
  return (item) => active.every((p) => p(item));
}

const contains = (value: string | null | undefined, part: string) => (value ?? '').includes(part);
const containsCI = (value: string | null | undefined, part: string) =>
  (value ?? '').toLowerCase().includes(part.toLowerCase());

/** `all categories` (GWE's value for any category) matches an item with at least one. */
export function inCategory(category: string | null | undefined, wanted: string): boolean {
  const names = (category ?? '').split(';').map((c) => c.trim());
  if (wanted === ALL_CATEGORIES) return names.some((c) => c !== '');
  return names.some((c) => c === wanted);
}

function since(q: Parsed, now: number): number | null {
  return q.age === undefined ? null : now - (q.age as number) * 1000;
}

export function eventFilter(q: Parsed, now: number, visitOf: (ev: StoredEvent) => VisitRecord): Pred<StoredEvent> {
  const from = since(q, now);
  return all<StoredEvent>([
    // The time the engine counted the event at, as for the visit's dates: a clock far ahead
    // must not keep an event 'recent' for ever.
    from !== null && ((e) => eventTime(e) >= from),
    q.eventName !== undefined && ((e) => e.eventName === q.eventName),
    q.eventType !== undefined && ((e) => e.eventType === q.eventType),
    q.category !== undefined && ((e) => inCategory(e.category, q.category as string)),
    q.url !== undefined && ((e) => contains(e.url, q.url as string)),
    q.browserPageID !== undefined && ((e) => e.browserPageID === q.browserPageID),
    q.globalVisitID !== undefined && ((e) => visitOf(e).globalVisitID === q.globalVisitID),
  ]);
}

export function pageFilter(q: Parsed, now: number): Pred<PageRecord> {
  const from = since(q, now);
  return all<PageRecord>([
    from !== null && ((p) => p.startDate >= from),
    q.url !== undefined && ((p) => contains(p.url, q.url as string)),
    q.title !== undefined && ((p) => contains(p.title, q.title as string)),
    q.category !== undefined && ((p) => inCategory(p.category, q.category as string)),
  ]);
}

/** A visit counts for `age` when it was active within that many seconds. */
export function visitFilter(q: Parsed, now: number): Pred<VisitRecord> {
  const from = since(q, now);
  return all<VisitRecord>([
    from !== null && ((v) => v.lastActivity >= from),
    q.globalVisitID !== undefined && ((v) => v.globalVisitID === q.globalVisitID),
    q.userAgent !== undefined && ((v) => containsCI(v.userAgent, q.userAgent as string)),
  ]);
}

export function identityFilter(q: Parsed, visitsOf: (i: IdentityRecord) => VisitRecord[]): Pred<IdentityRecord> {
  return all<IdentityRecord>([
    q.location !== undefined && ((i) => containsCI(i.location, q.location as string)),
    q.userAgent !== undefined && ((i) => visitsOf(i).some((v) => containsCI(v.userAgent, q.userAgent as string))),
  ]);
}
