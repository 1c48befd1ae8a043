// GPE.min.js: the tracker for sites that load it from the companion, with no extension. Events
// go to the config's httpEndpoint (or the server the script came from) as text/plain, a
// "simple" request that needs no CORS preflight; the page being left uses sendBeacon.
import type { GtEvent } from '../../protocol/events';
import { startTracker } from './tracker';

const script = document.currentScript as HTMLScriptElement | null;
const scriptOrigin = script?.src ? new URL(script.src).origin : location.origin;
let pending: GtEvent[] = [];
let timer: ReturnType<typeof setTimeout> | undefined;
let endpoint = '';
let failures = 0;

const send = (): void => {
  timer = undefined;
  const events = pending;
  pending = [];
  if (!events.length) return;
  fetch(endpoint, { method: 'POST', body: JSON.stringify(events), keepalive: true, headers: { 'content-type': 'text/plain' } })
    .then((res) => {
      if (res.status >= 500) throw new Error(`HTTP ${res.status}`);
      failures = 0;
    })
    .catch(() => {
      // Kept in memory and retried a few times; a page that cannot reach its server loses them.
      if (++failures > 5) return;
      pending = events.concat(pending);
      timer ??= setTimeout(send, 1000 * failures);
    });
};

startTracker(window, {
  emit(record, config, leaving) {
    const base = (location.protocol === 'https:' ? config.httpsEndpoint : config.httpEndpoint) || scriptOrigin;
    endpoint = `${base.replace(/\/+$/, '')}/server/events`;
    pending.push(...record.events);
    if (leaving) {
      clearTimeout(timer);
      timer = undefined;
      const body = JSON.stringify(pending);
      pending = [];
      if (!navigator.sendBeacon(endpoint, new Blob([body], { type: 'text/plain' }))) {
        fetch(endpoint, { method: 'POST', body, keepalive: true, headers: { 'content-type': 'text/plain' } }).catch(() => undefined);
      }
    } else timer ??= setTimeout(send, 0);
  },
});
