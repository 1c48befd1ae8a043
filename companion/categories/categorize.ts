// Categories applied at intake: each new event's `category` gets the names of the categories
// whose tags are found in its URL or its page's title, before the event is stored (GWE labels
// events as they come in; an event stored before a category was defined keeps what it got).
import type { IntakeResult, StoredEvent } from '../../protocol';
import { own, type LabState } from '../engine/state';
import { pageIdOf } from '../engine/pages';
import type { Category } from './definitions';
import { compileCategories, mergeCategory, type CategoryMatcher } from './match';

// Compiled once per definition set: the state holds a new array each time they change.
const compiled = new WeakMap<readonly Category[], CategoryMatcher>();

function matcherOf(categories: readonly Category[]): CategoryMatcher {
  let m = compiled.get(categories);
  if (!m) compiled.set(categories, (m = compileCategories(categories)));
  return m;
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
/** The browser's page id (kept as browserPageID once the event names its page resource). */
const browserPage = (ev: StoredEvent) => ev.browserPageID ?? ev.pageID ?? undefined;
const key = (visitID: string, page: string) => `${visitID}\n${page}`;

interface PageFacts {
  url?: string;
  title?: string;
}

/**
 * A page's title and URL for every event: a PageEntered carries its own; any other event
 * takes those of the page it belongs to, from a PageEntered in the same request or the page
 * already stored. An event whose page is not known yet has no title to match.
 */
function pagesOf(events: readonly StoredEvent[], state: LabState): (ev: StoredEvent) => PageFacts {
  const entered = new Map<string, PageFacts>();
  for (const ev of events) {
    const page = browserPage(ev);
    if (ev.eventType === 'SYSTEM' && ev.eventName === 'PageEntered' && page !== undefined) {
      entered.set(key(ev.visitID, page), { url: ev.url, title: str(ev.data?.title) });
    }
  }
  return (ev) => {
    const page = browserPage(ev);
    if (page === undefined) return {};
    const inBatch = entered.get(key(ev.visitID, page));
    if (inBatch) return inBatch;
    const stored = own(state.pages, pageIdOf(ev.visitID, page));
    return { url: stored?.url ?? undefined, title: stored?.title ?? undefined };
  };
}

/**
 * Sets each event's `category` in place (the intake's own fresh objects), and, once some
 * categories are defined, tells each result of a categorised event its categories (the popup
 * shows them from the answer).
 */
export function categorize(events: StoredEvent[], state: LabState, results: IntakeResult[] = []): void {
  const categories = state.categories;
  // Without definitions the answer stays as it was: the categories an event came with are no news.
  if (!categories?.length || events.length === 0) return;
  const match = matcherOf(categories);
  const pageOf = pagesOf(events, state);
  for (const ev of events) {
    const page = pageOf(ev);
    const category = mergeCategory(ev.category, match(ev.url ?? page.url, page.title));
    if (category !== undefined) ev.category = category;
  }
  const byId = new Map(events.map((ev) => [ev.eventID, ev.category]));
  for (const r of results) {
    const category = r.status === 'rejected' || r.eventID === null ? undefined : byId.get(r.eventID);
    if (category) r.category = category;
  }
}
