// The relay (content script, isolated world) goes into a tracked page once it has loaded.
// Registered at document_start like the tracker, it cost every tracked page ~8 ms before its
// first paint here: creating an isolated world is most of the extension's page-load cost
// (docs/performance.md). The tracker keeps its records until the relay announces itself.
import { browser } from 'wxt/browser';
import { sendsDirect } from './direct';
import { tracksUrl, type Settings } from './settings';

const RELAY_FILE = '/content-scripts/relay.js';

/** A tracked page not loaded this long after it started gets the relay anyway. */
export const RELAY_FALLBACK_MS = 1000;

/** Whether pages at `url` get the tracker and need the relay (not those of the direct path). */
export function needsRelay(settings: Settings, url: string | undefined): boolean {
  return tracksUrl(settings, url) && !sendsDirect(url);
}

/** Injects the relay into the tab's page; false when the page is gone or not ours to script. */
export async function injectRelay(tabId: number): Promise<boolean> {
  try {
    await browser.scripting.executeScript({ target: { tabId }, files: [RELAY_FILE] });
    return true;
  } catch {
    return false;
  }
}
