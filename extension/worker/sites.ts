// Which pages get the tracker: content scripts registered at run time for the tracked hosts,
// so that switching a site on or off in the popup takes effect on its next page load; with them,
// the rules that hold back the site's own GWE loader (site-loader.ts).
import { browser } from 'wxt/browser';
import { hostPattern, trackedHosts, type Settings } from './settings';
import { syncLoaderRules } from './site-loader';

// Only the tracker is registered: the relay is injected once the page has loaded (relay.ts).
const SCRIPTS = [{ id: 'visitor-lab-tracker', js: ['content-scripts/tracker.js'], world: 'MAIN' as const }];
/** Registered by earlier versions, unregistered when found. */
const RETIRED = ['visitor-lab-relay'];

/** Makes the registered content scripts match the settings. */
export async function syncContentScripts(settings: Settings): Promise<string[]> {
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
  await browser.scripting.registerContentScripts(
    SCRIPTS.map((s) => ({
      ...s,
      matches,
      runAt: 'document_start' as const,
      allFrames: false,
      persistAcrossSessions: true,
    })),
  );
  return granted;
}
