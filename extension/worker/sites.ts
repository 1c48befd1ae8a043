// Which pages get the tracker: content scripts registered at run time for the tracked hosts,
// so that switching a site on or off in the popup takes effect on its next page load; with them,
// the rules that hold back the site's own GWE loader (site-loader.ts).
//
// A registration takes a moment after the extension loads (storage, permissions, the rules), and
// a page opened at once (what a test suite does: launch, newPage, goto) could load before it and
// never be tracked. A start-up sync therefore also gives the tracker to the open pages of the
// hosts it registered, as GWE's own async loader arrives after the page's first pushes and takes
// the `_gt` queue as it finds it. A page that has a tracker keeps its own (gt-queue.ts).
import { browser } from 'wxt/browser';
import { sendsDirect } from './direct';
import { injectRelay } from './relay';
import { hostPattern, trackableHost, trackedHosts, type Settings } from './settings';
import { syncLoaderRules } from './site-loader';

// Only the tracker is registered: the relay is injected once the page has loaded (relay.ts).
const SCRIPTS = [{ id: 'visitor-lab-tracker', js: ['content-scripts/tracker.js'], world: 'MAIN' as const }];
/** Registered by earlier versions, unregistered when found. */
const RETIRED = ['visitor-lab-relay'];
const TRACKER_FILE = '/content-scripts/tracker.js';

export interface SyncOptions {
  /**
   * The sync of a worker start (install, update, browser start): pages of hosts it registers,
   * already open, get the tracker now. Not for a site the user switches on in the popup: that
   * takes effect on its next page load, as the popup says.
   */
  catchUp?: boolean;
}

/** Makes the registered content scripts match the settings. */
export async function syncContentScripts(settings: Settings, options: SyncOptions = {}): Promise<string[]> {
  const hosts = trackedHosts(settings);
  // Only hosts the extension holds a permission for can be registered (an optional permission
  // the user revoked in the browser's settings drops the site).
  const granted: string[] = [];
  for (const host of hosts) {
    if (await browser.permissions.contains({ origins: [hostPattern(host)] })) granted.push(host);
  }
  const matches = granted.map(hostPattern);
  // The site's own GWE loader is held back on exactly the pages the tracker runs on. A failure
  // there must not cost the tracker its registration.
  await syncLoaderRules(granted).catch((e) => console.error('[visitor-lab] loader rules:', e));
  const retired = await browser.scripting.getRegisteredContentScripts({ ids: RETIRED });
  if (retired.length) await browser.scripting.unregisterContentScripts({ ids: retired.map((s) => s.id) });
  const registered = await browser.scripting.getRegisteredContentScripts({ ids: SCRIPTS.map((s) => s.id) });
  const same = (m: string[] | undefined) => JSON.stringify([...(m ?? [])].sort()) === JSON.stringify([...matches].sort());
  // Left alone when nothing changed: every worker start syncs, and pages loading while the
  // scripts were unregistered would get no tracker.
  if (registered.length === SCRIPTS.length && registered.every((r) => same(r.matches))) return granted;
  if (registered.length) await browser.scripting.unregisterContentScripts({ ids: registered.map((s) => s.id) });
  if (granted.length === 0) return granted;
  const before = new Set(registered.flatMap((r) => r.matches ?? []));
  await browser.scripting.registerContentScripts(
    SCRIPTS.map((s) => ({
      ...s,
      matches,
      runAt: 'document_start' as const,
      allFrames: false,
      persistAcrossSessions: true,
    })),
  );
  if (options.catchUp) await catchUpTabs(granted.filter((h) => !before.has(hostPattern(h))));
  return granted;
}

/** How long a page that was loading at the registration is waited for. */
const CATCH_UP_MS = 60_000;
/** How long any page of those hosts that finishes loading is caught up (it may have started anywhere). */
const ANY_PAGE_MS = 10_000;
const RECHECK_MS = 250;

/**
 * The open pages of `hosts` that loaded before their tracker was registered get it, then the
 * relay (which announces itself again if the page had it: the tracker waits for that). A page
 * still loading gets them once loaded: the address a loading tab shows can be the one it is
 * going to, and a document committed while the registration was reaching the renderers can be
 * without the tracker (seen: a page whose navigation began 200 ms before it). For a while, so
 * does any page of these hosts that finishes loading: a tab still blank when the tabs were
 * looked at (a suite's `newPage()` then `goto`) can commit its page in that same moment.
 */
async function catchUpTabs(hosts: string[]): Promise<void> {
  if (hosts.length === 0) return;
  const ours = (url: string | undefined) => hosts.includes(trackableHost(url) ?? '');
  const loading = new Set<number>();
  const anyUntil = Date.now() + ANY_PAGE_MS;
  const done = () => browser.tabs.onUpdated.removeListener(onUpdated);
  function onUpdated(tabId: number, info: { status?: string }, tab: { url?: string }) {
    if (info.status !== 'complete') return;
    const known = loading.delete(tabId);
    if ((known || Date.now() < anyUntil) && ours(tab.url)) void giveTracker(tabId);
  }
  // Listening before looking: a page completing in between is not missed.
  browser.tabs.onUpdated.addListener(onUpdated);
  setTimeout(() => loading.size === 0 && done(), ANY_PAGE_MS);
  setTimeout(done, CATCH_UP_MS);
  for (const t of await browser.tabs.query({})) {
    if (t.id === undefined || !ours(t.url)) continue;
    if (t.status === 'complete') void giveTracker(t.id);
    else {
      loading.add(t.id);
      void whenLoaded(t.id);
    }
  }

  // Looked at again too: its `complete` can reach the worker before the listener above is
  // added while the query still says `loading` (seen once in 12 fresh browsers).
  async function whenLoaded(tabId: number): Promise<void> {
    for (let waited = 0; waited < CATCH_UP_MS && loading.has(tabId); waited += RECHECK_MS) {
      await new Promise((r) => setTimeout(r, RECHECK_MS));
      const tab = await browser.tabs.get(tabId).catch(() => null);
      if (!tab) return void loading.delete(tabId);
      if (tab.status === 'complete' && loading.delete(tabId)) return void (ours(tab.url) && (await giveTracker(tabId)));
    }
  }
}

async function giveTracker(tabId: number): Promise<void> {
  // Only where the tracker is still registered: a site switched off meanwhile stays off.
  const tab = await browser.tabs.get(tabId).catch(() => null);
  const [registered] = await browser.scripting.getRegisteredContentScripts({ ids: [SCRIPTS[0].id] });
  const host = trackableHost(tab?.url);
  if (!host || !registered?.matches?.includes(hostPattern(host))) return;
  try {
    await browser.scripting.executeScript({ target: { tabId }, files: [TRACKER_FILE], world: 'MAIN', injectImmediately: true });
  } catch {
    return; // the page is gone, or one the extension may not script (an error page)
  }
  if (!sendsDirect(tab?.url)) await injectRelay(tabId);
}
