// Messages between the content script, the worker and the popup, and the views they exchange.
import type { VisitorState } from '../../protocol/events';
import type { CaptureRecord, LabCommand, TrackerIds } from './capture';

export type DeliveryState = 'queued' | 'sent' | 'accepted' | 'duplicate' | 'rejected';

export interface Delivery {
  state: DeliveryState;
  /** Why it was rejected, or why it is still waiting. */
  reason?: string;
  field?: string;
  /** Who rejected it: the extension's own check of the protocol, or the companion. */
  by?: 'extension' | 'companion';
  /** What the companion stored but does not take as sent (a timestamp far ahead), `field: reason; …`. */
  warning?: string;
  at: number;
}

export interface CompanionStatus {
  url: string;
  /** null until the first attempt. */
  reachable: boolean | null;
  error?: string;
  checkedAt: number;
}

export interface SiteView {
  host: string;
  enabled: boolean;
  /** localhost and 127.0.0.1: on out of the box, no extra permission. */
  builtIn: boolean;
}

export interface TabView {
  tabId: number;
  url: string | null;
  /** null on pages the extension cannot track (chrome://, extension pages). */
  site: SiteView | null;
  ids: TrackerIds | null;
  /** The log's records, oldest first; only the newest `limit` when the request set one. */
  records: CaptureRecord[];
  /** Records in the whole log. */
  total: number;
  /** The deliveries of the events in `records`. */
  deliveries: Record<string, Delivery>;
  /** The visit's state as the whole log tells it (null before the tracker's ids are known). */
  localState: VisitorState | null;
  companion: CompanionStatus;
  /** Events (of every tab) waiting for the companion. */
  waiting: number;
}

export type WorkerRequest =
  | { type: 'capture'; record: CaptureRecord }
  /** `limit`: only the newest records (the popup's first screen), so a long log costs little. */
  | { type: 'tab:get'; tabId: number; limit?: number }
  | { type: 'tab:lab'; tabId: number; lab: LabCommand }
  | { type: 'tab:newVisit'; tabId: number }
  | { type: 'site:set'; host: string; enabled: boolean }
  | { type: 'settings:get' }
  | { type: 'settings:set'; companionUrl: string }
  | { type: 'companion:flush' };

/** Worker → content script of a tab. */
export type TabMessage = { type: 'lab'; lab: LabCommand };
