// The popup's questions about the site's own GWE loader: what was held back in a tab, and the
// user's loader patterns.
import { browser } from 'wxt/browser';
import type { HeldBackLoader, LoaderView, WorkerRequest } from '../shared/messages';
import type { Worker } from './router';
import { trackableHost, trackedHosts } from './settings';
import { checkPatterns, GWE_LOADER_FILTERS, heldBackLoaders, loaderPatterns, saveLoaderPatterns } from './site-loader';

type LoaderRequest = Extract<WorkerRequest, { type: 'tab:loaders' | 'loader:setPatterns' }>;

async function tabLoaders(w: Pick<Worker, 'settings'>, tabId: number): Promise<LoaderView> {
  const tab = await browser.tabs.get(tabId).catch(() => null);
  const host = trackableHost(tab?.url);
  // Only a tracked site's pages had the rules: elsewhere the loader ran as the site meant.
  const tracked = host !== null && trackedHosts(await w.settings.get()).includes(host);
  const urls = tracked ? await heldBackLoaders(tabId) : [];
  const heldBack: HeldBackLoader[] = urls.map((url) => ({ url, host: new URL(url).host }));
  return { tabId, heldBack, defaults: GWE_LOADER_FILTERS, patterns: await loaderPatterns() };
}

export async function loaderRequest(w: Pick<Worker, 'settings' | 'syncSites'>, msg: LoaderRequest): Promise<unknown> {
  if (msg.type === 'tab:loaders') {
    if (!Number.isInteger(msg.tabId)) return { ok: false, field: 'tabId', error: 'tabId must be a tab number' };
    return tabLoaders(w, msg.tabId);
  }
  const checked = checkPatterns(msg.patterns);
  if (!checked.ok) return checked;
  await saveLoaderPatterns(checked.patterns);
  await w.syncSites();
  return { ok: true, patterns: checked.patterns };
}
