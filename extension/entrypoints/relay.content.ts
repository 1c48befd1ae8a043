// Content script (isolated world): relays the tracker's capture records to the worker, and the
// popup's lab actions to the tracker. The worker injects it once a tracked page has loaded
// (worker/relay.ts); the tracker holds its records until this says it is listening.
import { browser } from 'wxt/browser';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { CAPTURE_EVENT, LAB_EVENT, RELAY_READY_EVENT, type CaptureRecord } from '../shared/capture';
import type { TabMessage } from '../shared/messages';
import { sendWithRetry } from '../shared/retry';

export default defineContentScript({
  matches: ['*://localhost/*', '*://127.0.0.1/*'],
  registration: 'runtime',
  main() {
    // Injected again into a page that already has it (a worker restart looks at every tab).
    // It says it is listening again: a tracker injected after it (the worker's catch-up of a
    // page that loaded before the tracker was registered, worker/sites.ts) waits for that.
    const self = globalThis as { visitorLabRelay?: boolean };
    if (self.visitorLabRelay) return void window.dispatchEvent(new CustomEvent(RELAY_READY_EVENT));
    self.visitorLabRelay = true;
    window.addEventListener(CAPTURE_EVENT, (e) => {
      let records: CaptureRecord[];
      try {
        // A list of records (a batch: tracker/relay-link.ts); one record from a tracker of an
        // earlier version still in the page.
        const detail: unknown = JSON.parse(String((e as CustomEvent).detail));
        records = (Array.isArray(detail) ? detail : [detail]) as CaptureRecord[];
      } catch {
        return;
      }
      // One message for the batch. Retried: a worker being restarted drops the message; the
      // worker ignores the records it has.
      void sendWithRetry(() => browser.runtime.sendMessage({ type: 'capture', records }));
    });
    browser.runtime.onMessage.addListener((message: unknown) => {
      const msg = message as TabMessage;
      if (msg?.type !== 'lab') return undefined;
      window.dispatchEvent(new CustomEvent(LAB_EVENT, { detail: JSON.stringify(msg.lab) }));
      return Promise.resolve({ ok: true });
    });
    window.dispatchEvent(new CustomEvent(RELAY_READY_EVENT));
  },
});
