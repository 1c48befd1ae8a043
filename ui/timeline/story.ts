// What the timeline draws: a visit's story as a list of moments, whichever window it comes
// from. The extension builds it from its capture log (every `_gt.push`, the events they became
// and their delivery), the companion's web app from the History API (stored events). Plain
// data, no I/O: ui/ imports protocol/ only, and both extension/ and companion/ import ui/.
import type { GtEvent, StoredEvent, VisitorState } from '../../protocol/events';

/** How far an event got on its way to the companion (the extension's delivery states). */
export type DeliveryState = 'queued' | 'sent' | 'accepted' | 'duplicate' | 'rejected';

export interface MomentDelivery {
  state: DeliveryState;
  /** Why it was rejected, or why it is still waiting. */
  reason?: string;
  field?: string;
  /** Who rejected it: the extension's own check, or the companion. */
  by?: 'extension' | 'companion';
  /** What the companion stored but does not take as sent. */
  warning?: string;
}

/** The `_gt.push` a moment came from (captured traffic only). */
export interface MomentCommand {
  /** The command as the page gave it (JSON-safe). */
  raw: unknown;
  /** Which documented form it matched, e.g. `8.5 ['event', 'SignIn', {data}]`. */
  form?: string;
  /** `page`: the site's `_gt.push`; `lab`: a popup action; `tracker`: a system event; `rule`: a DSL rule. */
  source: 'page' | 'lab' | 'tracker' | 'rule';
  /** `rejected`: refused in the page, no event was made (reason says why). */
  outcome: 'event' | 'rejected' | 'config' | 'getIDs' | 'system';
  reason?: string;
}

/**
 * One moment of the visit: an event (sent or stored), or a command that made none (a push
 * rejected in the page, a `config`). Exactly one of `event` and `command` may be absent.
 */
export interface Moment {
  /** Unique in the story (the eventID, or `pageID#seq` for a command without an event). */
  key: string;
  /** When it happened (the event's timestamp, else the push's time; ms). */
  at: number;
  /** The browser's page id (the tracker's pageID): one page view, one bar. */
  pageID: string | null;
  /**
   * The tab or window the page view was in (one lane each). Captured traffic knows its tab;
   * stored events do not, so the web app leaves it undefined (lanes are then made from page
   * views that overlap in time).
   */
  tab?: string;
  /** The page's url and title, when known. */
  url?: string | null;
  title?: string | null;
  /** The event it became (captured), or the stored event (History API). */
  event?: GtEvent | StoredEvent;
  command?: MomentCommand;
  delivery?: MomentDelivery;
  /** The visitor state right after this moment, when known (stored events carry it). */
  stateAfter?: VisitorState;
}

export interface Story {
  visitID: string;
  globalVisitID?: string;
  /** Oldest first. */
  moments: Moment[];
  /**
   * When the companion ended the visit (its endDate, the expiry), if it has: the state band
   * shows the visit's end there.
   */
  endedAt?: number;
  /** The state the companion reports for the visit now (it wins over what the moments tell). */
  visitorState?: VisitorState;
}
