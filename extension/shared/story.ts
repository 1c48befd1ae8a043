// A tab's capture log as the timeline's Story (ui/timeline/story.ts): every `_gt.push` of one
// visit with the event(s) it became and how far each got towards the companion. Pure: the
// worker runs it for the popup's compact picture, the panel over the log it holds.
import type { VisitorState } from '../../protocol/events';
import type { Moment, MomentCommand, MomentDelivery, Story } from '../../ui/timeline/story';
import type { CaptureRecord } from './capture';
import type { Delivery } from './messages';

export interface StoryOptions {
  /** The tab the log is of: the moments' lane. */
  tabId: number;
  /** The visit to tell; by default the one of the newest record. */
  visitID?: string;
  /** What the companion says the visit's state is now (it wins over the moments). */
  visitorState?: VisitorState;
  /** When the companion ended the visit (its endDate), if it has. */
  endedAt?: number;
}

/** The visits a log holds, newest last (a tab can start a new visit, the popup's button). */
export function visitsOf(records: readonly CaptureRecord[]): string[] {
  // Ordered by each visit's first record (records can arrive out of order).
  const first = new Map<string, number>();
  for (const r of records) {
    for (const v of [r.ids.visitID, ...r.events.map((e) => e.visitID)]) if (!(first.get(v)! <= r.at)) first.set(v, r.at);
  }
  return [...first.keys()].sort((a, b) => first.get(a)! - first.get(b)!);
}

function newestVisit(records: readonly CaptureRecord[]): string | null {
  let newest: CaptureRecord | null = null;
  for (const r of records) if (!newest || r.at >= newest.at) newest = r;
  return newest?.ids.visitID ?? null;
}

const commandOf = (r: CaptureRecord): MomentCommand => ({
  raw: r.command,
  ...(r.form ? { form: r.form } : {}),
  source: r.source,
  outcome: r.outcome,
  ...(r.reason ? { reason: r.reason } : {}),
});

function deliveryOf(d: Delivery | undefined): MomentDelivery {
  if (!d) return { state: 'queued' };
  const { at: _at, ...rest } = d;
  return rest;
}

/**
 * The story of one visit of a tab's log: one moment per event (with the push it came from and
 * its delivery), one per push that made no event (rejected in the page, config, getIDs), oldest
 * first. Null when the log holds nothing of that visit.
 */
export function storyFromCapture(records: readonly CaptureRecord[], deliveries: Readonly<Record<string, Delivery>>, options: StoryOptions): Story | null {
  const visitID = options.visitID ?? newestVisit(records);
  if (!visitID) return null;
  const tab = String(options.tabId);
  // A page's title can come late (set by a script): every moment of the page gets its last one.
  const titles = new Map<string, string>();
  for (const r of records) if (r.page.title) titles.set(r.ids.pageID, r.page.title);
  const moments: Array<Moment & { order: number }> = [];
  const keys = new Set<string>();
  let globalVisitID: string | undefined;
  for (const r of records) {
    const command = commandOf(r);
    const page = { url: r.page.url, title: titles.get(r.ids.pageID) ?? null };
    if (r.events.length === 0) {
      if (r.ids.visitID !== visitID) continue;
      globalVisitID ??= r.ids.globalVisitID;
      const key = unique(keys, `${r.ids.pageID}#${r.seq}`);
      moments.push({ key, at: r.at, pageID: r.ids.pageID, tab, ...page, command, order: moments.length });
      continue;
    }
    for (const event of r.events) {
      if (event.visitID !== visitID) continue;
      globalVisitID ??= event.globalVisitID;
      const key = unique(keys, event.eventID);
      // The event's own page: a PageExited sent for a closed tab is the page's, not the record's.
      moments.push({ key, at: event.timestamp, pageID: event.pageID ?? r.ids.pageID, tab, ...page, event, command, delivery: deliveryOf(deliveries[event.eventID]), order: moments.length });
    }
  }
  if (moments.length === 0) return null;
  moments.sort((a, b) => a.at - b.at || a.order - b.order);
  const story: Story = { visitID, moments: moments.map(({ order: _o, ...m }) => m) };
  if (globalVisitID) story.globalVisitID = globalVisitID;
  if (options.visitorState) story.visitorState = options.visitorState;
  if (options.endedAt) story.endedAt = options.endedAt;
  return story;
}

/** The same eventID twice in one log (a page that reuses ids) must not make two equal keys. */
function unique(keys: Set<string>, key: string): string {
  let k = key;
  for (let i = 2; keys.has(k); i++) k = `${key}~${i}`;
  keys.add(k);
  return k;
}

/**
 * The `now` to draw an open visit with: the present, but no further past the last moment than
 * a sixth of the visit's span, so the current state shows at the end of the band while the
 * moments keep most of the width (a visit looked at long after its last push is not squeezed
 * to the left of an axis running on to the present).
 */
export function pictureNow(story: Story, now: number): number {
  const first = story.moments[0]?.at ?? now;
  const last = story.moments.at(-1)?.at ?? now;
  return Math.min(now, last + Math.max((last - first) / 6, 250));
}
