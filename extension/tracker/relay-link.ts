// How the page-world tracker hands its records to the relay (the extension's content script).
// The relay is injected once the page has loaded, not at document_start: an isolated world
// created at document_start held up the parsing of every tracked page (see
// docs/performance.md). Until the relay says it is there, the records wait here; a page left
// before then (a quick click onward) leaves them in the tab's sessionStorage, and the next
// relay in the tab sends them first.
import { CAPTURE_EVENT, RELAY_READY_EVENT, type CaptureRecord } from '../shared/capture';

export const UNSENT_KEY = 'visitor-lab:unsent';

export interface RelayLink {
  /** `leaving`: the page is being left (pagehide); records still waiting are kept for the next page. */
  emit(record: CaptureRecord, leaving?: boolean): void;
  /** The page is being left: records still waiting go to the tab's next page. Sends nothing. */
  leave(): void;
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

export function relayLink(win: Window): RelayLink {
  let ready = false;
  // Set once the page is being left: anything after (a site's own pagehide push) is kept too.
  let left = false;
  const queue: string[] = [];
  // A DOM event is dispatched synchronously: a record made while the page is being left
  // (PageExited) reaches the relay before the page goes.
  const send = (detail: string) => win.dispatchEvent(new CustomEvent(CAPTURE_EVENT, { detail }));
  win.addEventListener(RELAY_READY_EVENT, () => {
    if (ready) return;
    ready = true;
    for (const detail of [...takeUnsent(win, true), ...queue.splice(0)]) send(detail);
  });
  const handOn = () => {
    left = true;
    if (ready || queue.length === 0) return;
    try {
      win.sessionStorage.setItem(UNSENT_KEY, JSON.stringify([...takeUnsent(win, false), ...queue]));
      queue.length = 0; // the next page has them now
    } catch {
      // Full or unavailable: kept here (a page restored from the back/forward cache sends them).
    }
  };
  return {
    emit(record, leaving = false) {
      const detail = JSON.stringify(record);
      if (ready) return send(detail);
      queue.push(detail);
      if (left || leaving) handOn();
    },
    leave: handOn,
  };
}
