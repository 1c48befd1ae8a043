// The companion's web app: the visit page of a 5,000-event visit, picture and table, timed in
// Debian's chromium from the navigation's start to both rendered (and a frame painted); and the
// size of the app's assets. `node --import tsx test/bench/web-app.ts` runs it alone.
import { gzipSync } from 'node:zlib';
import type { GtEvent } from '../../protocol';
import { buildCompanion, buildWebApp } from '../../companion/build';
import { launchLab } from '../helpers/browser';
import { removeDir, testCompanion } from '../helpers/companion';
import { post } from './fixtures';

export const VISIT_EVENTS = 5000;
const RUNS = 7;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** One visit of `total` events: 50 page views, a SignIn and a SignOut, business events between. */
export function bigVisit(total: number, now = Date.now()): GtEvent[] {
  const base = { globalVisitID: 'bench-web-g', visitID: 'bench-web-v', languageCode: 'en' };
  const perPage = Math.ceil(total / 50);
  const t0 = now - total * 1000;
  const out: GtEvent[] = [];
  for (let i = 0; i < total; i++) {
    const page = Math.floor(i / perPage);
    const signedIn = i >= total / 3 && i < (2 * total) / 3;
    const head = { ...base, eventID: `bench-web-${i}`, pageID: `p${page}`, timestamp: t0 + i * 1000, url: `http://shop.test/p${page}`, ...(signedIn || i === Math.floor((2 * total) / 3) ? { sessionID: 'bench-web-s' } : {}) };
    if (i === 0) out.push({ ...head, eventType: 'SYSTEM', eventName: 'VisitStarted' });
    else if (i % perPage === 0 || i === 1) out.push({ ...head, eventType: 'SYSTEM', eventName: 'PageEntered', data: { title: `Product ${page}`, referrer: '' } });
    else if (i === Math.floor(total / 3)) out.push({ ...head, eventType: 'SYSTEM', eventName: 'SignIn', data: { email: 'bench-web@shop.test', firstName: 'Bench' } });
    else if (i === Math.floor((2 * total) / 3)) out.push({ ...head, eventType: 'SYSTEM', eventName: 'SignOut' });
    else out.push({ ...head, eventType: 'BUSINESS', eventName: 'AddToCart', category: 'cart', data: { sku: `sku-${i}`, price: i } });
  }
  return out;
}

export interface WebAppFigures {
  events: number;
  runs: number;
  /** Median ms from navigation start to the picture's marks and the table's rows in the DOM, then a frame. */
  renderMs: number;
  /** Of which: the History API reads (the last response's end, from navigation start). */
  dataMs: number;
  /** What every page loads first: app.js and the chunks it imports (each gzipped alone). */
  jsBytes: number;
  jsGzipBytes: number;
  jsFiles: number;
  /** The pages loaded on demand (check, runs), gzipped. */
  lazyGzipBytes: number;
  cssBytes: number;
  cssGzipBytes: number;
}

export async function webAppBench(): Promise<WebAppFigures> {
  await buildCompanion();
  const assets = await buildWebApp();
  const companion = await testCompanion();
  const lab = await launchLab({ extension: false });
  try {
    const events = bigVisit(VISIT_EVENTS);
    for (let i = 0; i < events.length; i += 1000) await post(companion.url, events.slice(i, i + 1000));
    const page = await lab.browser.newPage();
    await page.setViewport({ width: 1280, height: 800 });
    // Set before the app runs: the moment both the picture's marks and the table's rows exist,
    // then the next frame (what the person sees).
    await page.evaluateOnNewDocument(`
      new MutationObserver((_, obs) => {
        const marks = document.querySelectorAll('[data-testid=visit-picture] .vl-mark[data-key], [data-testid=visit-picture] .vl-cluster').length;
        const rows = document.querySelectorAll('[data-testid=events-table] tbody tr').length;
        if (!marks || !rows || window.__rendered !== undefined) return;
        window.__rendered = -1;
        obs.disconnect();
        requestAnimationFrame(() => setTimeout(() => {
          window.__rendered = performance.now();
          window.__data = Math.max(...performance.getEntriesByType('resource').filter((r) => r.name.includes('/server/data/')).map((r) => r.responseEnd));
        }, 0));
      }).observe(document, { childList: true, subtree: true });
    `);
    const url = `${companion.url}/visits/bench-web-v`;
    const render: number[] = [];
    const data: number[] = [];
    for (let run = 0; run <= RUNS; run++) {
      await page.goto(url);
      await page.waitForFunction(() => ((window as unknown as { __rendered?: number }).__rendered ?? -1) > 0, { timeout: 30_000 });
      const r = await page.evaluate(() => ({ ms: (window as unknown as { __rendered: number }).__rendered, data: (window as unknown as { __data: number }).__data }));
      // Every event is in the picture (a mark of its own, or counted in a cluster of dense marks;
      // the focused mark may be drawn besides its cluster) and in the table's count.
      const shown = await page.$$eval('[data-testid=visit-picture] .vl-mark[data-key], [data-testid=visit-picture] .vl-cluster', (els) =>
        els.reduce((n, e) => n + Number(e.getAttribute('data-count') ?? 1), 0),
      );
      const counted = await page.$eval('.events .status', (e) => e.textContent ?? '');
      if (shown < VISIT_EVENTS || !counted.startsWith(`${VISIT_EVENTS.toLocaleString('en')} events`)) {
        throw new Error(`the picture shows ${shown} events and the table "${counted}", not ${VISIT_EVENTS}`);
      }
      // The first load warms chromium's and the companion's caches.
      if (run === 0) continue;
      render.push(r.ms);
      data.push(r.data);
    }
    const size = (s: string) => Buffer.byteLength(s);
    // What every page loads: app.js and the chunks it imports (transitively); the pages loaded on
    // demand are the rest (companion/web/shared/lazy.tsx).
    const first = new Set<string>();
    const visit = (code: string) => {
      for (const [, name] of code.matchAll(/from\s*"\.\/(chunk-[A-Z0-9]+\.js)"/g)) if (!first.has(name) && assets.chunks[name]) visit(assets.chunks[(first.add(name), name)]);
    };
    visit(assets.js);
    const firstJs = [assets.js, ...[...first].map((n) => assets.chunks[n])];
    const later = Object.entries(assets.chunks).filter(([n]) => !first.has(n)).map(([, c]) => c);
    const gz = (s: string) => gzipSync(Buffer.from(s), { level: 9 }).length;
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    return {
      events: VISIT_EVENTS,
      runs: RUNS,
      renderMs: median(render),
      dataMs: median(data),
      jsBytes: sum(firstJs.map(size)),
      jsGzipBytes: sum(firstJs.map(gz)),
      jsFiles: firstJs.length,
      lazyGzipBytes: sum(later.map(gz)),
      cssBytes: size(assets.css),
      cssGzipBytes: gz(assets.css),
    };
  } finally {
    await lab.close();
    await companion.close();
    removeDir(companion.dataDir);
  }
}

/** The bench's rows (run.ts passes its `row`). */
export async function webAppRows(row: (figure: string, value: string, target: string, ok: boolean) => void): Promise<WebAppFigures> {
  const f = await webAppBench();
  row(
    `web app: visit page of a ${f.events.toLocaleString('en')}-event visit, navigation to picture and table`,
    `${f.renderMs.toFixed(0)} ms (median of ${f.runs}; History API reads done at ${f.dataMs.toFixed(0)} ms)`,
    '< 300 ms',
    f.renderMs < 300,
  );
  row(
    'web app assets, minified + gzipped',
    `JS first ${(f.jsGzipBytes / 1024).toFixed(1)} KiB in ${f.jsFiles} files (${(f.jsBytes / 1024).toFixed(1)} KiB), on demand ${(f.lazyGzipBytes / 1024).toFixed(1)} KiB; CSS ${(f.cssGzipBytes / 1024).toFixed(1)} KiB (${(f.cssBytes / 1024).toFixed(1)} KiB)`,
    '< 40 KiB JS gzipped',
    f.jsGzipBytes < 40 * 1024,
  );
  return f;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows: unknown[] = [];
  await webAppRows((figure, value, target, ok) => rows.push({ figure, value, target, ok: ok ? 'yes' : 'MISSED' }));
  console.table(rows);
}
