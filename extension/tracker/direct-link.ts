// The direct path to the worker (Chromium, the built-in hosts: worker/direct.ts): the manifest's
// `externally_connectable` gives those pages `chrome.runtime.sendMessage(extensionId, ...)`, so
// the tracker's batches go to the worker without a relay, and the page gets no isolated world.
// Absent (Firefox, a site the user switched on), the relay carries them.
import { sendWithRetry } from '../shared/retry';

/** Visitor Lab's id, fixed by the manifest's key (companion/server/extension-id.ts; a test keeps them equal). */
export const EXTENSION_ID = 'ejpggenafmfiofodjbhojpnhcmegbgkd';

interface PageRuntime {
  sendMessage(extensionId: string, message: unknown, answer: (reply: unknown) => void): void;
  lastError?: unknown;
}

/**
 * A sender of batches (each a list of records' JSON) straight to the worker, or null where the
 * page has no such path. Taken at document_start: the page's own scripts come later and could
 * replace `chrome`.
 */
export function directSender(win: Window): ((details: string[]) => void) | null {
  const runtime = (win as unknown as { chrome?: { runtime?: PageRuntime } }).chrome?.runtime;
  if (!runtime || typeof runtime.sendMessage !== 'function') return null;
  const sendMessage = runtime.sendMessage.bind(runtime);
  const once = (message: unknown) =>
    new Promise((resolve, reject) =>
      sendMessage(EXTENSION_ID, message, (reply) => {
        // Read, so the browser does not log it; no reply: the worker was being restarted.
        const error = runtime.lastError;
        if (error || reply === undefined) reject(error ?? new Error('no answer'));
        else resolve(reply);
      }),
    );
  // Retried, as the relay does: the worker ignores the records it has.
  return (details) => void sendWithRetry(() => once({ type: 'capture', records: JSON.parse(`[${details.join(',')}]`) as unknown[] }));
}

/**
 * Calls `open` once the page has loaded (or a second after the tracker started, as the worker
 * gives a slow page its relay): records wait until then, as they wait for the relay, so that
 * nothing is sent inside the page's load.
 */
export function whenLoaded(win: Window, open: () => void, fallbackMs = 1000): void {
  if (win.document.readyState === 'complete') return open();
  let done = false;
  const go = () => {
    if (done) return;
    done = true;
    open();
  };
  win.addEventListener('load', go, { once: true });
  setTimeout(go, fallbackMs);
}
