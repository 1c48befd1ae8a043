// What keeps visitor data on this machine: a Host check against DNS rebinding, optional
// HTTP Basic auth, and CORS granted only to extensions and origins the user allowed.
import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';

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

export function basicAuth(credentials: string | undefined): RequestHandler {
  return (req, res, next) => {
    if (!credentials) return next();
    const header = req.headers.authorization ?? '';
    const given = header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString('utf8') : '';
    if (same(given, credentials)) return next();
    res.setHeader('WWW-Authenticate', 'Basic realm="Visitor Lab", charset="UTF-8"');
    res.status(401).json({ error: 'unauthorized', message: 'this companion needs HTTP Basic credentials (--auth)' });
  };
}

const EXTENSION_ORIGIN = /^(chrome|moz|safari-web)-extension:\/\//;

/**
 * A request from a web page carries an Origin. Browser extensions may use every API; the
 * origins the user allowed (--allow-origin) may only post events; anything else, even a
 * "simple" POST that needs no preflight (a page elsewhere resetting the lab), gets 403.
 * Requests without an Origin (curl, servers, test suites, plain navigation) pass.
 */
export function originGuard(allowed: readonly string[], intakePath: string): RequestHandler {
  const allow = new Set(allowed.map((o) => o.replace(/\/$/, '')));
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (origin === undefined || EXTENSION_ORIGIN.test(origin)) return next();
    if (allow.has(origin) && req.path === intakePath) return next();
    // The tracker and the default rules are public (a <script> or a fetch from any site).
    if (req.path.startsWith('/server/resources/') && (req.method === 'GET' || req.method === 'HEAD')) return next();
    res.status(403).json({ error: 'forbidden_origin', message: `origin ${origin} may not use this companion (see --allow-origin)`, field: 'Origin' });
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
