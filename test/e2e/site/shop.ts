// Lab Shop: a small multi-page site for the end-to-end browser tests. It only pushes `_gt`
// commands (what a GWE-instrumented site does); the tracker comes from the extension or, with
// `loader`, from the companion's GPE.min.js. Who the visitor is lives in cookies only, so two
// browser profiles never share state and a server restart loses nothing that matters.
import type { AddressInfo } from 'node:net';
import express, { type Request, type Response } from 'express';
import {
  PRODUCTS,
  accountPage,
  cartPage,
  earlyPage,
  slowPage,
  garbagePage,
  homePage,
  legacyPage,
  loginPage,
  notFoundPage,
  productBySku,
  productPage,
  productsPage,
  reassignPage,
  rulesPage,
  RULES_XML,
  renderPage,
  type PageSpec,
} from './pages';

export interface ShopOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** The companion, e.g. 'http://127.0.0.1:9081': the config's endpoints and the loader's origin. */
  companionUrl?: string;
  /** Default false: when true every page also has the GWE loader snippet (needs companionUrl). */
  loader?: boolean;
  /** Default 'en'. */
  languageCode?: string;
}

export interface Shop {
  origin: string;
  url(path: string): string;
  close(): Promise<void>;
}

export const COOKIES = {
  session: 'shop_session',
  remember: 'shop_remember',
  signedIn: 'shop_signed_in',
  signedOut: 'shop_signed_out',
  recognized: 'shop_recognized',
  cart: 'shop_cart',
} as const;

const REMEMBER_SECONDS = 30 * 24 * 3600;
const MAX_CART = 50;
const MAX_EMAIL = 254;

function readCookies(req: Request): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length > 1) value = value.slice(1, -1);
    try {
      value = decodeURIComponent(value);
    } catch {
      /* not percent-encoded: keep as is */
    }
    if (name && !(name in out)) out[name] = value;
  }
  return out;
}

// Only what a cookie value cannot hold is percent-encoded, so `ann@shop.test` stays readable in
// the browser's cookie jar (tests may also set these cookies by hand, unencoded).
const encodeCookie = (value: string): string =>
  value.replace(/[^\x21\x23\x24\x26-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]/gu, (c) =>
    Array.from(Buffer.from(c, 'utf8'), (b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );

/** Set-Cookie written by hand so the attributes are exactly these: Path=/, SameSite=Lax, and no
 * Expires unless given (a browser-session cookie). */
function setCookie(res: Response, name: string, value: string, maxAge?: number): void {
  const parts = [`${name}=${encodeCookie(value)}`, 'Path=/', 'SameSite=Lax'];
  if (maxAge !== undefined) parts.push(`Max-Age=${maxAge}`);
  // Max-Age=0 alone is ignored by some clients (curl 7.88); a past Expires too deletes everywhere.
  if (maxAge === 0) parts.push('Expires=Thu, 01 Jan 1970 00:00:00 GMT');
  res.append('Set-Cookie', parts.join('; '));
}

const clearCookie = (res: Response, name: string): void => setCookie(res, name, '', 0);

const cartOf = (cookies: Record<string, string>): string[] =>
  (cookies[COOKIES.cart] ?? '').split(',').filter((sku) => productBySku(sku));

export async function startShop(options: ShopOptions = {}): Promise<Shop> {
  const host = options.host ?? '127.0.0.1';
  const companionUrl = options.companionUrl;
  const loader = options.loader ?? false;
  const languageCode = options.languageCode ?? 'en';
  if (loader && !companionUrl) throw new Error('startShop: loader needs companionUrl');

  /** Renders a page; the identity commands it carries are decided here, from the cookies. */
  function send(req: Request, res: Response, page: PageSpec, status = 200): void {
    const cookies = readCookies(req);
    const email = cookies[COOKIES.session];
    const identity: unknown[][] = [];
    // One-shot flags set by POST /login and /logout: the next page tells the tracker, once.
    if (cookies[COOKIES.signedIn] !== undefined) {
      if (email) identity.push(['event', 'SignIn', { data: { userId: email, email, firstName: 'Test' } }]);
      clearCookie(res, COOKIES.signedIn);
    }
    if (cookies[COOKIES.signedOut] !== undefined) {
      identity.push(['event', 'SignOut', { data: {} }]);
      clearCookie(res, COOKIES.signedOut);
    } else if (!identity.length && cookies[COOKIES.remember] && !email && !cookies[COOKIES.recognized]) {
      // A returning visitor: the persistent cookie outlived the browser session. shop_recognized
      // is a session cookie, so this is sent once per browser session.
      identity.push(['event', 'UserInfo', { data: { userId: cookies[COOKIES.remember] } }]);
      setCookie(res, COOKIES.recognized, '1');
    }
    const html = renderPage({ companionUrl, loader, languageCode, identity, signedIn: !!email }, page);
    res.status(status).type('html').send(html);
  }

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  app.get('/health', (_req, res) => void res.type('text').send('ok'));
  // Browsers ask for it on their own; answered quietly so it never touches the one-shot cookies.
  app.get('/favicon.ico', (_req, res) => void res.status(204).end());

  app.get('/', (req, res) => send(req, res, homePage()));
  app.get('/products', (req, res) => send(req, res, productsPage()));
  app.get('/products/:sku', (req, res) => {
    const product = productBySku(req.params.sku);
    if (product) send(req, res, productPage(product));
    else send(req, res, notFoundPage(), 404);
  });
  app.get('/cart', (req, res) => send(req, res, cartPage(cartOf(readCookies(req)))));
  app.post('/cart/add', express.json({ limit: '1kb' }), (req, res) => {
    const sku = typeof req.body?.sku === 'string' ? req.body.sku : '';
    if (!productBySku(sku)) return void res.status(404).json({ error: 'unknown sku' });
    const cart = [...cartOf(readCookies(req)), sku].slice(-MAX_CART);
    setCookie(res, COOKIES.cart, cart.join(','));
    res.json({ count: cart.length, items: cart });
  });

  app.get('/login', (req, res) => send(req, res, loginPage()));
  app.post('/login', express.urlencoded({ extended: false, limit: '4kb' }), (req, res) => {
    const email = typeof req.body?.email === 'string' ? req.body.email.trim() : '';
    const password = typeof req.body?.password === 'string' ? req.body.password : '';
    const error = !email ? 'Enter your email.' : email.length > MAX_EMAIL ? 'That email is too long.' : !password ? 'Enter your password.' : '';
    if (error) return send(req, res, loginPage(error, email.slice(0, MAX_EMAIL)), 400);
    setCookie(res, COOKIES.session, email);
    // Unchecked "remember me" forgets whoever was remembered before on this browser.
    if (req.body.remember) setCookie(res, COOKIES.remember, email, REMEMBER_SECONDS);
    else clearCookie(res, COOKIES.remember);
    setCookie(res, COOKIES.signedIn, '1');
    // This browser session knows who it is: UserInfo waits for the next one ("on return").
    setCookie(res, COOKIES.recognized, '1');
    clearCookie(res, COOKIES.signedOut);
    res.redirect(303, '/account');
  });
  app.get('/account', (req, res) => send(req, res, accountPage(readCookies(req)[COOKIES.session] || undefined)));
  app.get('/logout', (_req, res) => {
    clearCookie(res, COOKIES.session);
    // "Remember me" outlives signing out (it is what makes the site send UserInfo next time).
    clearCookie(res, COOKIES.signedIn);
    setCookie(res, COOKIES.signedOut, '1');
    res.redirect(303, '/');
  });

  app.get('/early', (req, res) => send(req, res, earlyPage()));
  app.get('/slow', (req, res) => send(req, res, slowPage()));
  app.get('/slow-image.png', (req, res) => {
    const timer = setTimeout(() => res.status(204).end(), 10_000);
    req.on('close', () => clearTimeout(timer));
  });
  // ?dsl=URL names another rules file (e.g. the companion's default one).
  app.get('/rules', (req, res) => send(req, res, rulesPage(typeof req.query.dsl === 'string' ? req.query.dsl : '/rules.xml')));
  app.get('/rules.xml', (_req, res) => void res.type('application/xml').send(RULES_XML));
  // The one page the back/forward cache may keep (no-store would keep it out).
  app.get('/cacheable', (req, res) => {
    res.set('Cache-Control', 'private, max-age=0');
    send(req, res, homePage());
  });
  app.get('/reassign', (req, res) => send(req, res, reassignPage()));
  app.get('/legacy', (req, res) => send(req, res, legacyPage()));
  app.get('/garbage', (req, res) => send(req, res, garbagePage()));

  app.use((_req, res) => void res.status(404).type('text').send('not found'));

  const server = app.listen(options.port ?? 0, host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    origin,
    url: (path: string) => new URL(path, origin).href,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // A browser keeps idle keep-alive connections open; without this close() waits for them.
        server.closeAllConnections();
      }),
  };
}

export { PRODUCTS };
