// The companion's own web app (companion/web/): one HTML shell for every page the app routes
// (so a reload or a shared link of /visits/{id} works), and its assets, /app/app.js,
// /app/app.css and the chunks of the pages loaded on demand (/app/chunk-HASH.js). Same origin
// only, behind --auth like the History API, under a strict Content-Security-Policy: no inline
// script or style, nothing from anywhere else.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Router, type Response } from 'express';
import { basicAuth } from './security';

export const WEB_APP_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The paths the app answers its HTML for (history API routing in companion/web/router.ts). */
export const WEB_APP_ROUTES = ['/', '/visits/:visitId', '/identities/:identityId', '/contacts', '/health', '/check', '/runs', '/runs/:runId'];

export interface WebAppAssets {
  js: string;
  css: string;
  /** The pages loaded on demand, by file name (`chunk-HASH.js`). */
  chunks: Record<string, string>;
}

/** A chunk's file name as companion/build.ts names them (esbuild's base32 hash). */
export const isChunkName = (name: string): boolean => /^chunk-[A-Z0-9]{8}\.js$/.test(name);

/** The built app, put in by the bundler (companion/build.ts); absent when run from source. */
declare const __WEB_APP__: WebAppAssets | undefined;

/** Where companion/build.ts writes the assets beside the CLI bundle. */
export const WEB_APP_DIR = path.resolve(import.meta.dirname ?? '.', '../../.output/companion/app');

/** The assets: embedded in the CLI bundle, else (run from source, as tests do) the built files. */
export function webAppAssets(): WebAppAssets | null {
  if (typeof __WEB_APP__ !== 'undefined') return __WEB_APP__;
  const js = path.join(WEB_APP_DIR, 'app.js');
  const css = path.join(WEB_APP_DIR, 'app.css');
  if (!existsSync(js) || !existsSync(css)) return null;
  const chunks: Record<string, string> = {};
  for (const name of readdirSync(WEB_APP_DIR)) if (isChunkName(name)) chunks[name] = readFileSync(path.join(WEB_APP_DIR, name), 'utf8');
  return { js: readFileSync(js, 'utf8'), css: readFileSync(css, 'utf8'), chunks };
}

/**
 * The app's page. `preload`: requests the page will make, started with the HTML instead of
 * after the script has loaded and run (the visit page's two History reads: a big visit's data
 * is most of its time to show).
 */
function html(preload: string[] = []): string {
  const links = preload.map((href) => `<link rel="preload" href="${escapeAttr(href)}" as="fetch" crossorigin="anonymous">\n`).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Visitor Lab</title>
<link rel="icon" href="data:,">
${links}<link rel="stylesheet" href="/app/app.css">
<script type="module" src="/app/app.js"></script>
</head>
<body>
<div id="app"><p>Loading Visitor Lab…</p></div>
<noscript><p>The Visitor Lab web app needs JavaScript. The same data is in the History API: <a href="/server/data/visits">/server/data/visits</a>.</p></noscript>
</body>
</html>
`;
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** What companion/web/Visit/load.ts reads first, URL for URL (a preload is used only if they match). */
export function visitPreloads(visitId: string): string[] {
  const base = `/server/data/visits/${encodeURIComponent(visitId)}`;
  return [`${base}?include_events_detail=true`, `${base}/pages?page_size=1000`];
}

function secure(res: Response): void {
  res.setHeader('Content-Security-Policy', WEB_APP_CSP);
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  // The app's data changes with every event; the shell and assets are small. No stale app
  // after a rebuild.
  res.setHeader('Cache-Control', 'no-cache');
}

export function webAppRouter(auth: string | undefined, assets: WebAppAssets | null = webAppAssets()): Router {
  const router = Router();
  const unbuilt = (res: Response) =>
    res.status(503).json({ error: 'web_app_not_built', message: 'the web app is not built into this companion (npm run build:companion)' });
  router.get(WEB_APP_ROUTES, basicAuth(auth), (req, res) => {
    secure(res);
    if (!assets) return unbuilt(res);
    const visitId = typeof req.params.visitId === 'string' ? req.params.visitId : null;
    res.type('text/html; charset=utf-8').send(html(visitId === null ? [] : visitPreloads(visitId)));
  });
  router.get('/app/app.js', basicAuth(auth), (_req, res) => {
    secure(res);
    if (!assets) return unbuilt(res);
    res.type('text/javascript; charset=utf-8').send(assets.js);
  });
  router.get('/app/app.css', basicAuth(auth), (_req, res) => {
    secure(res);
    if (!assets) return unbuilt(res);
    res.type('text/css; charset=utf-8').send(assets.css);
  });
  router.get('/app/:chunk', basicAuth(auth), (req, res) => {
    secure(res);
    if (!assets) return unbuilt(res);
    const name = String(req.params.chunk);
    if (!Object.hasOwn(assets.chunks, name)) return res.status(404).json({ error: 'not_found', message: `the web app has no ${name}` });
    res.type('text/javascript; charset=utf-8').send(assets.chunks[name]);
  });
  return router;
}
