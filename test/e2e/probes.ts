// Every way a web page can make the browser load a URL, each reduced to what the page can then
// observe about it (load or error events, sizes, media error codes, whether a frame or window it
// opened is still its own about:blank). A page that gets a different outcome for two URLs has
// learned something about them without reading a byte.
import type { Page } from 'puppeteer';

export const PROBE_KINDS = [
  'object',
  'embed',
  'iframe',
  'img',
  'script',
  'link-stylesheet',
  'link-preload',
  'link-prefetch',
  'video',
  'audio',
  'track',
  'track-cors',
  'fetch-no-cors',
  'beacon',
  'form',
  'window-open',
] as const;
export type ProbeKind = (typeof PROBE_KINDS)[number];

/** What the page observes when it loads `url` the `kind` way. Runs in the page. */
export function probe(page: Page, kind: ProbeKind, url: string): Promise<string> {
  return page.evaluate(
    (k, u) =>
      new Promise<string>((resolve) => {
        const WAIT = 2000;
        const settle = (el: Element, extra: () => string = () => '') => {
          let done = false;
          const finish = (what: string) => {
            if (done) return;
            done = true;
            // Let a late second event show up in what is observed too.
            setTimeout(() => resolve(`${what}${extra()}`), 50);
          };
          el.addEventListener('load', () => finish('load'));
          el.addEventListener('error', () => finish('error'));
          setTimeout(() => finish('nothing'), WAIT);
        };
        /** Whether a frame or window is still readable (about:blank: the navigation left it ours). */
        const peek = (w: Window | null) => {
          if (!w) return ' no-window';
          try {
            return ` readable:${w.location.href} frames:${w.length}`;
          } catch {
            return ` foreign frames:${w.length}`;
          }
        };
        const media = (el: HTMLMediaElement) => {
          let done = false;
          const finish = (what: string) => {
            if (done) return;
            done = true;
            resolve(`${what} code:${el.error?.code ?? '-'} ready:${el.readyState} network:${el.networkState}`);
          };
          for (const e of ['loadedmetadata', 'canplay', 'error', 'abort', 'emptied']) el.addEventListener(e, () => finish(e));
          setTimeout(() => finish('nothing'), WAIT);
          el.preload = 'auto';
          el.src = u;
          document.body.append(el);
        };
        if (k === 'object') {
          const el = document.createElement('object');
          el.data = u;
          settle(el, () => ` doc:${el.contentDocument !== null}`);
          document.body.append(el);
        } else if (k === 'embed') {
          const el = document.createElement('embed');
          el.src = u;
          settle(el);
          document.body.append(el);
        } else if (k === 'iframe') {
          const el = document.createElement('iframe');
          el.src = u;
          settle(el, () => peek(el.contentWindow));
          document.body.append(el);
        } else if (k === 'img') {
          const el = document.createElement('img');
          settle(el, () => ` ${el.naturalWidth}x${el.naturalHeight}`);
          el.src = u;
          document.body.append(el);
        } else if (k === 'script') {
          const el = document.createElement('script');
          el.src = u;
          settle(el);
          document.head.append(el);
        } else if (k.startsWith('link-')) {
          const el = document.createElement('link');
          el.rel = k.slice(5);
          if (el.rel === 'preload') el.as = 'image';
          el.href = u;
          settle(el, () => ` sheet:${el.sheet !== null}`);
          document.head.append(el);
        } else if (k === 'video' || k === 'audio') {
          media(document.createElement(k));
        } else if (k === 'track' || k === 'track-cors') {
          const video = document.createElement('video');
          // A cross-origin track loads only through CORS: then it carries an Origin.
          if (k === 'track-cors') video.crossOrigin = 'anonymous';
          const el = document.createElement('track');
          el.kind = 'subtitles';
          el.default = true;
          el.src = u;
          settle(el, () => ` ready:${el.readyState}`);
          video.append(el);
          document.body.append(video);
        } else if (k === 'fetch-no-cors') {
          fetch(u, { mode: 'no-cors', credentials: 'include' }).then(
            async (r) => resolve(`${r.type} ${r.status} ${(await r.blob()).size}`),
            (e) => resolve(`rejected ${e}`),
          );
        } else if (k === 'beacon') {
          resolve(`sent:${navigator.sendBeacon(u, 'x')}`);
        } else if (k === 'form') {
          // A GET form: its fields become the query, so the URL's query goes into fields.
          const target = `f${Math.random().toString(36).slice(2)}`;
          const frame = document.createElement('iframe');
          frame.name = target;
          document.body.append(frame);
          const parsed = new URL(u);
          const form = document.createElement('form');
          form.method = 'GET';
          form.target = target;
          form.action = parsed.origin + parsed.pathname;
          for (const [name, value] of parsed.searchParams) {
            const input = document.createElement('input');
            input.name = name;
            input.value = value;
            form.append(input);
          }
          document.body.append(form);
          // The frame's first load (about:blank) is over once it is in the document.
          settle(frame, () => peek(frame.contentWindow));
          form.submit();
        } else if (k === 'window-open') {
          const w = window.open(u, '_blank');
          setTimeout(() => {
            const seen = `${w ? 'opened' : 'blocked'}${peek(w)} closed:${w?.closed}`;
            w?.close();
            resolve(seen);
          }, WAIT);
        } else resolve(`unknown probe ${k}`);
      }),
    kind,
    url,
  );
}
