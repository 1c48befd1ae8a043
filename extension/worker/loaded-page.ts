// What a tracked page gets from the worker once it has loaded, or a while after it started when
// it is still loading (a slow image, a request that never ends: its records must not wait for a
// load that may not come): the relay, where the tracker came at document_start (relay.ts), or
// the tracker itself on the direct path's pages (direct.ts). A page that has it already keeps
// its own, so giving twice is harmless.
import { injectsTracker, injectTracker } from './direct';
import { injectRelay, needsRelay } from './relay';
import type { Settings } from './settings';

/** Gives the tab's page at `url` what it still needs; false when it needs nothing or is gone. */
export function completeTrackedPage(settings: Settings, tabId: number, url: string | undefined): Promise<boolean> {
  if (needsRelay(settings, url)) return injectRelay(tabId);
  if (injectsTracker(settings, url)) return injectTracker(tabId);
  return Promise.resolve(false);
}
