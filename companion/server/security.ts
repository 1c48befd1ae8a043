// What keeps visitor data on this machine: a Host check against DNS rebinding, optional
// HTTP Basic auth, CORS granted only to our extension and origins the user allowed, and one
// answer to every other site's page whatever it asks.
import { timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

function hostnameOf(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1).toLowerCase();
  return host.split(':')[0].toLowerCase();
}

/**
 * When bound to loopback, a request whose Host is not a loopback name came through a
 * rebound DNS name from some web page: refuse it.
 */
export function hostGuard(bindHost: string): RequestHandler {
  const loopbackOnly = LOOPBACK_NAMES.has(bindHost) || bindHost.startsWith('127.');
  return (req, res, next) => {
    if (!loopbackOnly) return next();
    const host = hostnameOf(req.headers.host ?? '');
    if (LOOPBACK_NAMES.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host)) return next();
    res.status(403).json({ error: 'forbidden_host', message: `Host "${req.headers.host ?? ''}" is not a loopback name`, field: 'Host' });
  };
}

/**
 * Nothing but the public resources may be embedded by another site. Without this a page's
 * <script src> or <link> pointing at a History URL loads (a JSON array is valid script) when
 * the id is known and fails on the 404 when it is not: an oracle for who the companion knows.
 */
export function noEmbedding(publicPrefix: string): RequestHandler {
  return (req, res, next) => {
    if (!req.path.startsWith(publicPrefix)) {
      res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
      res.setHeader('X-Content-Type-Options', 'nosniff');
    }
    next();
  };
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Whether the request carries the HTTP Basic credentials `user:pass`. */
export function hasCredentials(req: Request, credentials: string): boolean {
  const header = req.headers.authorization ?? '';
  const given = header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString('utf8') : '';
  return same(given, credentials);
}

export function basicAuth(credentials: string | undefined): RequestHandler {
  return (req, res, next) => {
    if (!credentials || hasCredentials(req, credentials)) return next();
    res.setHeader('WWW-Authenticate', 'Basic realm="Visitor Lab", charset="UTF-8"');
    res.status(401).json({ error: 'unauthorized', message: 'this companion needs HTTP Basic credentials (--auth)' });
  };
}

/**
 * A request from a web page carries an Origin. Visitor Lab's own extension and the extensions
 * the user named (--allow-extension) may use every API; the origins the user allowed
 * (--allow-origin) may only post events; anything else, even a "simple" POST that needs no
 * preflight (a page elsewhere resetting the lab), or another installed extension, gets 403.
 * Requests without an Origin pass here; crossSiteGuard judges those a browser sent.
 */
export function originGuard(allowed: readonly string[], extensions: readonly string[], intakePath: string): RequestHandler {
  const allow = new Set(allowed.map((o) => o.replace(/\/$/, '')));
  const trusted = new Set(extensions);
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (origin === undefined || trusted.has(origin) || isOwnPage(req, origin)) return next();
    if (allow.has(origin) && req.path === intakePath) return next();
    // The tracker and the default rules are public (a <script> or a fetch from any site).
    if (isPublic(req.path, req.method)) return next();
    res.status(403).json({ error: 'forbidden_origin', message: `origin ${origin} may not use this companion (see --allow-origin, --allow-extension)`, field: 'Origin' });
  };
}

/**
 * The companion's own web app (companion/web/): its POSTs and module scripts carry an Origin,
 * which is the companion's own. Only under a loopback Host, so a rebound DNS name (refused by
 * hostGuard while bound to loopback) can never pass for it, whatever --host is.
 */
function isOwnPage(req: Request, origin: string): boolean {
  const host = req.headers.host ?? '';
  const name = hostnameOf(host);
  const loopback = LOOPBACK_NAMES.has(name) || /^127\.\d+\.\d+\.\d+$/.test(name);
  return loopback && req.headers['sec-fetch-site'] === 'same-origin' && origin === `http://${host}`;
}

function isPublic(path: string, method: string): boolean {
  return path.startsWith('/server/resources/') && (method === 'GET' || method === 'HEAD');
}

/** What the companion answers every request from another site's page, whatever it asked for. */
const CROSS_SITE_REFUSAL = JSON.stringify({
  error: 'forbidden_site',
  message: 'a page of another site may not use this companion: open the address yourself, or use curl',
  field: 'Sec-Fetch-Site',
});
const CROSS_SITE_LENGTH = String(Buffer.byteLength(CROSS_SITE_REFUSAL));

/**
 * Requests a browser makes without an Origin (<object>, <img>, <script>, <iframe>, links and
 * forms that GET, window.open) still tell a page whether they loaded, failed or left a blank
 * window: a 200, a 404 and a 204 look different even unread, and Cross-Origin-Resource-Policy
 * does not cover <object>, <embed> or navigations. So a browser's request from anything but the
 * companion's own origin or the user (typed address, bookmark: `none`) gets one answer, the same
 * status, body and headers whatever the path, id or query, before any route looks at them.
 * Sec-Fetch-Site decides alone: every Sec-Fetch-Mode and Sec-Fetch-Dest of a cross-site request
 * is refused, navigations too (a window.open'd 204 stays about:blank, readable by its opener),
 * and `same-site` too (another port of 127.0.0.1 or localhost is another program's page).
 * Requests without fetch metadata (curl, node, older browsers) pass: they are not a page's.
 * Requests with an Origin were judged by originGuard (the extension's, and allowed intake).
 */
export function crossSiteGuard(): RequestHandler {
  return (req, res, next) => {
    const site = req.headers['sec-fetch-site'];
    if (site === undefined || site === 'same-origin' || site === 'none') return next();
    if (isPublic(req.path, req.method)) return next();
    if (req.headers.origin !== undefined) return next();
    res.status(403);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    // Set by hand so a HEAD's headers are the GET's.
    res.setHeader('Content-Length', CROSS_SITE_LENGTH);
    res.end(CROSS_SITE_REFUSAL);
  };
}

/**
 * Intake CORS: pages of allowed origins may post events straight to the companion, so they
 * get the CORS grant (and their preflight answered). Reads get no CORS grant at all.
 */
export function intakeCors(): RequestHandler {
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (origin === undefined) return next();
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Vary', 'Origin');
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'POST');
      res.setHeader('Access-Control-Allow-Headers', 'Content-Type');
      res.setHeader('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    next();
  };
}
