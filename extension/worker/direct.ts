// The direct path (Chromium, the built-in hosts): the page-world tracker sends its records to the
// worker itself through `externally_connectable`, so a tracked page gets no isolated world (the
// relay's, set up again at each commit of the tab: ~1.5 ms of the page's own CPU inside its load,
// docs/performance.md). The manifest names only localhost and 127.0.0.1 there; a site the user
// switches on, and Firefox (no externally_connectable for web pages), keep the relay.
import { browser } from 'wxt/browser';
import type { LabCommand } from '../shared/capture';
import { LAB_EVENT } from '../shared/capture';
import type { WorkerRequest } from '../shared/messages';
import { BUILT_IN_HOSTS, trackableHost, trackedHosts, type Settings } from './settings';

/** Whether this build's manifest lets the built-in hosts' pages message the worker (not Firefox). */
export function directPathBuilt(): boolean {
  const manifest = browser.runtime.getManifest() as { externally_connectable?: { matches?: string[] } };
  return (manifest.externally_connectable?.matches?.length ?? 0) > 0;
}

/** Whether pages at `url` send to the worker themselves (and so get no relay). */
export function sendsDirect(url: string | undefined, built = directPathBuilt()): boolean {
  const host = trackableHost(url);
  return built && host !== null && BUILT_IN_HOSTS.includes(host);
}

export interface ExternalSender {
  url?: string;
  frameId?: number;
  tab?: { id?: number };
}

/**
 * The tab an external message may capture for, or null. Only `capture`, only from the top frame
 * of a tab whose page is on a tracked built-in host (switched off, it gets nothing): what such a
 * page could already send through the relay's DOM events, nothing more.
 */
export function externalCaptureTab(settings: Settings, message: unknown, sender: ExternalSender): number | null {
  if ((message as WorkerRequest | null)?.type !== 'capture') return null;
  const tabId = sender.tab?.id;
  if (tabId === undefined || sender.frameId !== 0) return null;
  const host = trackableHost(sender.url);
  if (!host || !BUILT_IN_HOSTS.includes(host) || !trackedHosts(settings).includes(host)) return null;
  return tabId;
}

/** A lab action (push a command, new visit) for a page without the relay: dispatched in its world. */
export async function labInPage(tabId: number, lab: LabCommand): Promise<unknown> {
  await browser.scripting.executeScript({
    target: { tabId },
    world: 'MAIN',
    func: (name: string, detail: string) => void window.dispatchEvent(new CustomEvent(name, { detail })),
    args: [LAB_EVENT, JSON.stringify(lab)],
  });
  return { ok: true };
}
