// The timeline's text filter: which moments match what a tester typed. Matching moments stay
// bright, the others are dimmed (not hidden: the story keeps its shape).
import { deliveryText, momentName } from './format';
import type { Moment } from './story';

/** Everything a moment can be found by, in lower case. */
function haystack(m: Moment): string {
  const e = m.event;
  const c = m.command;
  const d = m.delivery;
  const parts: unknown[] = [
    momentName(m), m.key, m.pageID, m.tab, m.url, m.title, m.stateAfter, deliveryText(m),
    e?.eventName, e?.eventType, e?.eventID, e?.visitID, e?.globalVisitID, e?.sessionID, e?.url, e?.category,
    e?.data === undefined ? undefined : JSON.stringify(e.data),
    c?.raw === undefined ? undefined : JSON.stringify(c.raw), c?.form, c?.source, c?.outcome, c?.reason,
    d?.state, d?.reason, d?.field, d?.by, d?.warning,
  ];
  return parts.filter((p) => typeof p === 'string' && p !== '').join('\n').toLowerCase();
}

/**
 * Whether a moment matches a filter text: every word of it (case-insensitive) is found in the
 * event's name, type, ids, url, data, the command, its form and reason, or the delivery (state,
 * reason, warning). An empty filter matches everything.
 */
export function momentMatches(m: Moment, filter: string): boolean {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const text = haystack(m);
  return words.every((w) => text.includes(w));
}

/** The keys of the moments that match (null when the filter is empty: nothing is dimmed). */
export function matchingKeys(moments: Moment[], filter: string): Set<string> | null {
  if (filter.trim() === '') return null;
  return new Set(moments.filter((m) => momentMatches(m, filter)).map((m) => m.key));
}
