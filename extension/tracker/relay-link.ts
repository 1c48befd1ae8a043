// How the page-world tracker hands its records to the relay (the extension's content script).
// The relay is injected once the page has loaded, not at document_start: an isolated world
// created at document_start held up the parsing of every tracked page (see
// docs/performance.md). Until the relay says it is there, the records wait here; a page left
// before then (a quick click onward) leaves them in the tab's sessionStorage, and the next
// relay in the tab sends them first.
//
// Once the relay is there, records still go in batches: those made within BATCH_MS of the first
// waiting one leave together, one DOM event and so one message to the worker (a message a
// record cost the worker and the browser ~20 ms a page view: docs/performance.md). A page being
// left sends what waits at once, as before batching: a tab closed would otherwise lose it.
import { CAPTURE_EVENT, RELAY_READY_EVENT, type CaptureRecord } from '../shared/capture';

export const UNSENT_KEY = 'visitor-lab:unsent';
/** How long a record waits for others before its batch goes (the popup shows it this much later). */
export const BATCH_MS = 25;
/** At most this many records a batch (the worker takes up to 200 a message: worker/capture.ts). */
export const BATCH_MAX = 100;

export interface RelayLink {
  /** `leaving`: the page is being left (pagehide); records still waiting are kept for the next page. */
  emit(record: CaptureRecord, leaving?: boolean): void;
  /** The page is being left: records still waiting go to the tab's next page. Sends nothing. */
  leave(): void;
  /** The path to the worker is there (the relay announced itself, or the direct path is open). */
  open(): void;
}

/** What earlier pages of the tab left unsent; sessionStorage is touched only here (it can cost a round trip). */
function takeUnsent(win: Window, remove: boolean): string[] {
  try {
    const unsent: unknown = JSON.parse(win.sessionStorage.getItem(UNSENT_KEY) ?? '[]');
    if (remove) win.sessionStorage.removeItem(UNSENT_KEY);
    return Array.isArray(unsent) ? unsent.filter((d): d is string => typeof d === 'string') : [];
  } catch {
    return []; // no sessionStorage (sandboxed), or unreadable: nothing to hand on
  }
}

/**
 * `direct`: the batches go to the worker this way (tracker/direct-link.ts) rather than to the
 * relay; the link is then opened by its caller, not by the relay's announcement.
 */
export function relayLink(win: Window, batchMs = BATCH_MS, direct?: (details: string[]) => void): RelayLink {
  let ready = false;
  // Set once the page is being left: anything after (a site's own pagehide push) is kept too.
  let left = false;
  // Before the relay: records waiting for it. After: the batch being gathered.
  const queue: string[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Taken now: the page's scripts come after the tracker and could replace them.
  const later = setTimeout;
  const stop = clearTimeout;
  // A DOM event is dispatched synchronously: a batch sent while the page is being left reaches
  // the relay before the page goes. Its detail is a JSON list of records (each one's JSON).
  const sendAll = (details: string[]) => {
    for (let i = 0; i < details.length; i += BATCH_MAX) {
      const batch = details.slice(i, i + BATCH_MAX);
      if (direct) direct(batch);
      else win.dispatchEvent(new CustomEvent(CAPTURE_EVENT, { detail: `[${batch.join(',')}]` }));
    }
  };
  const flush = () => {
    if (timer !== undefined) stop(timer);
    timer = undefined;
    if (queue.length) sendAll(queue.splice(0));
  };
  const open = () => {
    if (ready) return;
    ready = true;
    sendAll([...takeUnsent(win, true), ...queue.splice(0)]);
  };
  if (!direct) win.addEventListener(RELAY_READY_EVENT, open);
  const handOn = () => {
    left = true;
    if (ready) return flush();
    if (queue.length === 0) return;
    try {
      win.sessionStorage.setItem(UNSENT_KEY, JSON.stringify([...takeUnsent(win, false), ...queue]));
      queue.length = 0; // the next page has them now
    } catch {
      // Full or unavailable: kept here (a page restored from the back/forward cache sends them).
    }
  };
  return {
    emit(record, leaving = false) {
      queue.push(JSON.stringify(record));
      if (left || leaving) handOn();
      else if (ready && timer === undefined) timer = later(flush, batchMs);
    },
    leave: handOn,
    open,
  };
}
