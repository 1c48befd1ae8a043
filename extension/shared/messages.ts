// Messages between the content script, the worker and the popup, and the views they exchange.
import type { VisitorState } from '../../protocol/events';
import type { IdentityResource, VisitResource } from '../../protocol/resources';
import type { RunResource } from '../../protocol/runs';
import type { Story } from '../../ui/timeline/story';
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
  /** The event's categories as the companion stored them (`a;b`), when it has some. */
  category?: string;
  at: number;
}

/** Why the companion said 401: no credentials were sent, or it refused the ones sent. */
export type CompanionAuth = 'missing' | 'refused';

export interface CompanionStatus {
  url: string;
  /** null until the first attempt. */
  reachable: boolean | null;
  error?: string;
  checkedAt: number;
  /** Set while the companion (started with --auth) does not let the extension read. */
  auth?: CompanionAuth;
}

/** The visit as the companion's History API has it, read by the worker for the popup. */
export interface CompanionVisit {
  visitID: string;
  visit: VisitResource | null;
  identities: IdentityResource[];
  error?: string;
  auth?: CompanionAuth;
}

/** The settings as extension pages see them: the password is never sent back. */
export interface SettingsView {
  companionUrl: string;
  companionUser: string;
  hasPassword: boolean;
  enabledHosts: string[];
  disabledHosts: string[];
}

/** The tab's whole log, for the panel's picture and for export. */
export interface TabStory {
  tabId: number;
  story: Story | null;
  /** Changes whenever the log or a delivery does: the popup asks again only then. */
  revision: string;
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
  /** Changes whenever the log or a delivery changes (see TabStory). */
  revision: string;
}

export type WorkerRequest =
  // `records`: what waited in the page, in order (at most MAX_RECORDS_PER_MESSAGE, worker/capture.ts).
  | { type: 'capture'; record?: CaptureRecord; records?: CaptureRecord[] }
  /** `limit`: only the newest records (the popup's first screen), so a long log costs little. */
  | { type: 'tab:get'; tabId: number; limit?: number }
  | { type: 'tab:lab'; tabId: number; lab: LabCommand }
  | { type: 'tab:newVisit'; tabId: number }
  | { type: 'site:set'; host: string; enabled: boolean }
  | { type: 'settings:get' }
  /** `user`/`password`: left as they are when absent; an empty string clears them. */
  | { type: 'settings:set'; companionUrl: string; user?: string; password?: string }
  | { type: 'companion:flush' }
  /** The visit as the History API has it, read with the settings' credentials. */
  | { type: 'companion:visit'; visitID: string }
  /** The current visit's story from the tab's whole log (the popup's compact picture). */
  | { type: 'tab:story'; tabId: number; visitID?: string }
  /** The site's own GWE loaders held back in the tab's page, and the patterns that hold them. */
  | { type: 'tab:loaders'; tabId: number }
  /** The user's loader patterns (declarativeNetRequest urlFilter syntax), replacing the list. */
  | { type: 'loader:setPatterns'; patterns: string[] }
  /** The run this browser is in (worker/runs.ts): RunView. */
  | { type: 'run:get' }
  /** Starts a run at the companion and puts this browser in it: RunAnswer. */
  | { type: 'run:start'; name: string }
  /** Stops it at the companion; later events go in no run: RunAnswer. */
  | { type: 'run:stop' }
  /** Leaves a run the companion no longer knows, without asking it: RunAnswer. */
  | { type: 'run:clear' }
  /** The loaded spec (extension/worker/spec.ts): set (its JSON text), cleared, checked against the tab's visit. */
  | { type: 'spec:set'; text: string }
  | { type: 'spec:clear' }
  | { type: 'tab:check'; tabId: number };

/** Why the run's counts could not be read, or a start or stop failed. */
export type RunProblem = 'unreachable' | 'auth' | 'gone' | 'http';

/** The run this browser's events go to (settings.runId, from the popup or a suite's preset). */
export interface RunView {
  /** '' when no run is on. */
  runId: string;
  /** As the companion has it (GET /lab/runs/{runId}); null when none, or when it could not say. */
  run: RunResource | null;
  problem?: RunProblem;
  error?: string;
  /** Its events still waiting in the outbox. */
  waiting: number;
}

export type RunAnswer = { ok: true; view: RunView } | { ok: false; error: string; field?: string; problem?: RunProblem };

/** A site's own GWE loader script the extension kept from running. */
export interface HeldBackLoader {
  url: string;
  /** The GWE server it was to come from. */
  host: string;
}

export interface LoaderView {
  tabId: number;
  /** Empty when the tab's site is not tracked: nothing is held back there. */
  heldBack: HeldBackLoader[];
  /** GWE's documented loader paths, always held back on tracked sites. */
  defaults: string[];
  /** The user's own patterns. */
  patterns: string[];
}

/** Worker → content script of a tab. */
export type TabMessage = { type: 'lab'; lab: LabCommand };
