// The timeline's view model: a story (moments) turned into what is drawn (the state band,
// sessions, lanes of page-view bars, marks). Pure: no DOM, no clock unless given `now`.
import type { VisitorState } from '../../protocol/events';
import { deliveryText, momentName } from './format';
import { isRejected, trackStates, type SessionSpan, type StateSegment } from './states';
import type { DeliveryState, Moment, Story } from './story';

/** system: a SYSTEM event; business: a BUSINESS event; command: a push that made no event. */
export type MarkKind = 'system' | 'business' | 'command';

export interface Mark {
  key: string;
  at: number;
  name: string;
  kind: MarkKind;
  /** The extension's delivery state, when the moment has one. */
  delivery?: DeliveryState;
  /** What the delivery is in words (`accepted`, `stored`, `rejected in the page`, ...). */
  deliveryText: string;
  /** Refused in the page or by the companion: flagged with "!" and counted. */
  rejected: boolean;
  /** The companion stored it with a warning (a clock far ahead, say). */
  warning: boolean;
  stateBefore: VisitorState;
  stateAfter: VisitorState;
  barKey: string;
  lane: number;
  moment: Moment;
}

export interface PageBar {
  /** The pageID (one page view), or `(no page)` for moments without one. */
  key: string;
  pageID: string | null;
  title: string;
  url?: string;
  start: number;
  end: number;
  /** Entered: a PageEntered is in the story. */
  entered: boolean;
  /** No PageExited (yet): the bar ends at its last moment. */
  open: boolean;
  lane: number;
  marks: Mark[];
  rejected: number;
}

export interface Lane {
  key: string;
  label: string;
  bars: PageBar[];
}

export interface TimelineModel {
  visitID: string;
  globalVisitID?: string;
  /** The time domain drawn: the first moment to the last (or the visit's end, or `now`). */
  start: number;
  end: number;
  segments: StateSegment[];
  sessions: SessionSpan[];
  lanes: Lane[];
  /** Every mark, in time order (the keyboard's order). */
  marks: Mark[];
  rejected: number;
  /** True when lanes are the moments' tabs; false when made from overlapping page views. */
  byTab: boolean;
}

export interface BuildOptions {
  /** The present (ms): an open visit's band runs on towards it (at most the moments' span further). */
  now?: number;
}

const NO_PAGE = '(no page)';

/**
 * How far past its last moment an open visit runs on to `now`: as far as the moments span (a
 * minute at least), so a visit looked at an hour later is not squeezed into the first pixels.
 */
const MIN_TAIL = 60_000;

const byTime = (a: Moment, b: Moment) => a.at - b.at;

function kindOf(m: Moment): MarkKind {
  if (!m.event) return 'command';
  return m.event.eventType === 'BUSINESS' ? 'business' : 'system';
}

function titleOf(moments: Moment[], pageID: string | null): { title: string; url?: string } {
  let title: string | undefined;
  let url: string | undefined;
  for (const m of moments) {
    const d = m.event?.eventName === 'PageEntered' ? m.event.data : undefined;
    title ??= m.title ?? (typeof d?.title === 'string' && d.title ? d.title : undefined) ?? undefined;
    url ??= m.url ?? m.event?.url ?? undefined;
  }
  return { title: title || url || pageID || NO_PAGE, url };
}

/** One bar per pageID (a revisit has a new pageID: a new bar), in the order first seen. */
function makeBars(moments: Moment[]): Map<string, PageBar> {
  const groups = new Map<string, Moment[]>();
  for (const m of moments) {
    const key = m.pageID ?? NO_PAGE;
    const g = groups.get(key);
    if (g) g.push(m);
    else groups.set(key, [m]);
  }
  const bars = new Map<string, PageBar>();
  for (const [key, ms] of groups) {
    const entered = ms.find((m) => m.event?.eventName === 'PageEntered' && !isRejected(m));
    const exited = ms.find((m) => m.event?.eventName === 'PageExited' && !isRejected(m));
    const first = ms[0].at;
    const last = ms[ms.length - 1].at;
    // A page never exited ends at its last moment: stretched to the visit's end (as the
    // companion's page resource is), every lost PageExited would make page views overlap.
    const end = exited ? Math.max(exited.at, last) : last;
    bars.set(key, {
      key,
      pageID: ms[0].pageID,
      ...titleOf(ms, ms[0].pageID),
      start: Math.min(first, entered?.at ?? first),
      end,
      entered: !!entered,
      open: !exited,
      lane: 0,
      marks: [],
      rejected: 0,
    });
  }
  return bars;
}

/** Lanes: one per tab when moments say their tab, else page views that overlap go side by side. */
function makeLanes(bars: PageBar[], tabOf: Map<string, string | undefined>): { lanes: Lane[]; byTab: boolean } {
  // Stable: bars that start together keep the story's order (the first tab seen is the first lane).
  const sorted = [...bars].sort((a, b) => a.start - b.start);
  const byTab = [...tabOf.values()].some((t) => t !== undefined);
  const lanes: Lane[] = [];
  if (byTab) {
    const index = new Map<string, number>();
    for (const bar of sorted) {
      const tab = tabOf.get(bar.key) ?? '?';
      let i = index.get(tab);
      if (i === undefined) {
        i = lanes.length;
        index.set(tab, i);
        lanes.push({ key: `tab:${tab}`, label: tab === '?' ? 'Tab unknown' : `Tab ${tab}`, bars: [] });
      }
      bar.lane = i;
      lanes[i].bars.push(bar);
    }
    return { lanes, byTab };
  }
  // Greedy interval packing: the first lane whose last bar ended before this one starts.
  for (const bar of sorted) {
    let i = lanes.findIndex((l) => l.bars[l.bars.length - 1].end < bar.start || l.bars[l.bars.length - 1].end === bar.start && bar.start !== bar.end);
    if (i < 0) {
      i = lanes.length;
      lanes.push({ key: `lane:${i + 1}`, label: i === 0 ? 'Pages' : `Pages ${i + 1}`, bars: [] });
    }
    bar.lane = i;
    lanes[i].bars.push(bar);
  }
  return { lanes, byTab };
}

/** The view model of one visit's story. */
export function buildTimeline(story: Story, options: BuildOptions = {}): TimelineModel {
  // Stable sort: moments at the same ms keep the story's order (a push, then its event).
  const moments = [...story.moments].sort(byTime);
  const first = moments.length ? moments[0].at : (options.now ?? story.endedAt ?? 0);
  let end = moments.length ? moments[moments.length - 1].at : first;
  if (story.endedAt !== undefined) end = Math.max(end, story.endedAt);
  else if (options.now !== undefined) end = Math.max(end, Math.min(options.now, end + Math.max(end - first, MIN_TAIL)));
  const start = first;

  const track = trackStates(story, moments, start, end);
  const barMap = makeBars(moments);
  const tabOf = new Map<string, string | undefined>();
  for (const m of moments) {
    const key = m.pageID ?? NO_PAGE;
    if (!tabOf.has(key) || tabOf.get(key) === undefined) tabOf.set(key, m.tab);
  }
  const { lanes, byTab } = makeLanes([...barMap.values()], tabOf);

  const marks: Mark[] = moments.map((m) => {
    const bar = barMap.get(m.pageID ?? NO_PAGE)!;
    const mark: Mark = {
      key: m.key,
      at: m.at,
      name: momentName(m),
      kind: kindOf(m),
      delivery: m.delivery?.state,
      deliveryText: deliveryText(m),
      rejected: isRejected(m),
      warning: !!m.delivery?.warning,
      stateBefore: track.before.get(m.key)!,
      stateAfter: track.after.get(m.key)!,
      barKey: bar.key,
      lane: bar.lane,
      moment: m,
    };
    bar.marks.push(mark);
    if (mark.rejected) bar.rejected++;
    return mark;
  });

  return {
    visitID: story.visitID,
    globalVisitID: story.globalVisitID,
    start,
    end,
    segments: track.segments,
    sessions: track.sessions,
    lanes,
    marks,
    rejected: marks.filter((m) => m.rejected).length,
    byTab,
  };
}
