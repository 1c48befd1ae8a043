// A stand-in for a real GWE server and a site that carries GWE's own loader snippet pointing at
// it. The GWE server serves the loader (GPE.min.js, GTC.min.js) and the site's rules file, and
// writes down every request it gets, so a test can tell that nothing reached it.
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:net';
import express from 'express';
import { esc, js } from './pages';

export interface GweRequest {
  method: string;
  path: string;
}

export interface GweServer {
  url: string;
  /** Every request it was sent, oldest first. */
  requests: GweRequest[];
  close(): Promise<void>;
}

/** The site's business-event rules: a click on the site's #buy button is a BuyClicked event. */
export const SNIPPET_RULES_XML = `<?xml version="1.0" encoding="UTF-8"?>
<domainModel>
  <event id="buy" name="BuyClicked">
    <trigger name="BuyClick" element="#buy" action="click"/>
  </event>
</domainModel>
`;

/**
 * What the real loader would do if it ran: mark the page and report an event to its server
 * (so a test sees both when the loader is let through, on a site that is not tracked).
 */
const FAKE_LOADER = (name: string) => `window.__gweLoaderRan = (window.__gweLoaderRan || []).concat(${js(name)});
(function () { var s = document.currentScript && document.currentScript.src; if (!s) return;
  navigator.sendBeacon(new URL('/server/events?from=' + ${js(name)}, s).href, '{}'); })();
`;

/** The fake GWE server. Its rules file has no CORS headers, like a server set up for other sites. */
export async function startGweServer(host = '127.0.0.1'): Promise<GweServer> {
  const requests: GweRequest[] = [];
  const app = express();
  app.use((req, _res, next) => {
    requests.push({ method: req.method, path: req.originalUrl });
    next();
  });
  app.get('/server/resources/js/build/:file', (req, res) => {
    if (req.params.file !== 'GPE.min.js' && req.params.file !== 'GTC.min.js') return void res.status(404).end();
    res.type('application/javascript').set('cache-control', 'no-store').send(FAKE_LOADER(req.params.file));
  });
  app.get('/server/resources/dsl/domain-model.xml', (_req, res) => void res.type('application/xml').set('cache-control', 'no-store').send(SNIPPET_RULES_XML));
  app.use((_req, res) => void res.status(204).end());
  const server = await listen(app, host);
  return { url: `http://${host}:${(server.address() as AddressInfo).port}`, requests, close: () => closeServer(server) };
}

/** An address nothing listens on: a GWE server that cannot be reached. */
export async function unreachableUrl(host = '127.0.0.1'): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, host, resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://${host}:${port}`;
}

export interface SnippetSite {
  origin: string;
  url(path: string): string;
  close(): Promise<void>;
}

/**
 * The head of GWE's generated instrumentation script: the `_gt` queue and its config (the GWE
 * server's endpoints, its rules file, the page's language, debug), then an async <script> for
 * GPE.min.js; the site also includes GTC.min.js with a plain tag.
 */
export function snippetHead(gweUrl: string, languageCode: string): string {
  const config = {
    dslResource: `${gweUrl}/server/resources/dsl/domain-model.xml`,
    httpEndpoint: gweUrl,
    httpsEndpoint: gweUrl,
    languageCode,
    debug: true,
  };
  return `<script>
var _gt = _gt || [];
_gt.push(['config', ${js(config)}]);
(function (d, src) {
  var gpe = d.createElement('script'); gpe.type = 'text/javascript'; gpe.async = true; gpe.src = src;
  var s = d.getElementsByTagName('script')[0]; s.parentNode.insertBefore(gpe, s);
})(document, ${js(`${gweUrl}/server/resources/js/build/GPE.min.js`)});
</script>
<script async src="${esc(`${gweUrl}/server/resources/js/build/GTC.min.js`)}"></script>`;
}

/** A two-page site with GWE's snippet: `/` and `/next`, each with a #buy button and a link on. */
export async function startSnippetSite(options: { gweUrl: string; host?: string; languageCode?: string }): Promise<SnippetSite> {
  const host = options.host ?? '127.0.0.1';
  const app = express();
  const page = (title: string, next: string) => `<!doctype html>
<html lang="${esc(options.languageCode ?? 'de')}">
<head>
${snippetHead(options.gweUrl, options.languageCode ?? 'de')}
<meta charset="utf-8">
<title>${esc(title)}</title>
</head>
<body>
<h1>${esc(title)}</h1>
<button id="buy" type="button">Buy</button>
<a id="next" href="${esc(next)}">Next page</a>
<script>window.__siteScriptsRan = true;</script>
</body>
</html>
`;
  app.use((_req, res, next) => void (res.set('cache-control', 'no-store'), next()));
  app.get('/', (_req, res) => void res.type('html').send(page('Snippet shop – Home', '/next')));
  app.get('/next', (_req, res) => void res.type('html').send(page('Snippet shop – Next', '/')));
  app.get('/favicon.ico', (_req, res) => void res.status(204).end());
  const server = await listen(app, host);
  const origin = `http://${host}:${(server.address() as AddressInfo).port}`;
  return { origin, url: (path) => origin + path, close: () => closeServer(server) };
}

function listen(app: express.Express, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(0, host, (e?: Error) => (e ? reject(e) : resolve(server as unknown as Server)));
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
    server.close(() => resolve());
  });
}
