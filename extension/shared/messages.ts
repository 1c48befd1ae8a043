// Messages between the content script, the worker and the popup, and the views they exchange.
import type { CaptureRecord, LabCommand, TrackerIds } from './capture';

export type DeliveryState = 'queued' | 'sent' | 'accepted' | 'duplicate' | 'rejected';

export interface Delivery {
  state: DeliveryState;
  /** Why it was rejected, or why it is still waiting. */
  reason?: string;
  field?: string;
  /** Who rejected it: the extension's own check of the protocol, or the companion. */
  by?: 'extension' | 'companion';
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
  records: CaptureRecord[];
  deliveries: Record<string, Delivery>;
  companion: CompanionStatus;
  /** Events (of every tab) waiting for the companion. */
  waiting: number;
}

export type WorkerRequest =
  | { type: 'capture'; record: CaptureRecord }
  | { type: 'tab:get'; tabId: number }
  | { type: 'tab:lab'; tabId: number; lab: LabCommand }
  | { type: 'tab:newVisit'; tabId: number }
  | { type: 'site:set'; host: string; enabled: boolean }
  | { type: 'settings:get' }
  | { type: 'settings:set'; companionUrl: string }
  | { type: 'companion:flush' };

/** Worker → content script of a tab. */
export type TabMessage = { type: 'lab'; lab: LabCommand };
