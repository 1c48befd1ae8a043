// The site under test: a tiny shop with a sign-in, instrumented for Genesys Web Engagement the
// way GWE's Visitor Identification chapter says: every page starts with the `_gt` queue, and the
// page after a successful sign-in pushes SignIn with who signed in. In your project this is your
// own site (or its dev server); it is here so the example runs on its own.
//
// SHOP_FORGETS_SIGNIN=1 is the regression the suite exists to catch: the sign-in works for the
// visitor, but the page no longer tells GWE.
//
//   node site/shop.mjs            serves it on http://localhost:3000 (PORT to change)
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';

const page = (title, body, pushes = []) => `<!doctype html>
<html lang="en">
<head>
<script>
var _gt = window._gt || [];
_gt.push(['config', { languageCode: 'en' }]);
${pushes.map((command) => `_gt.push(${JSON.stringify(command).replace(/</g, '\\u003c')});`).join('\n')}
</script>
<meta charset="utf-8">
<title>Shop – ${title}</title>
</head>
<body>
<nav><a href="/">Home</a> | <a id="nav-login" href="/login">Sign in</a> | <a href="/account">Account</a></nav>
<h1>${title}</h1>
${body}
</body>
</html>`;

const escape = (text) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function cookies(req) {
  const out = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name) out[name] = decodeURIComponent(value.join('='));
  }
  return out;
}

async function form(req) {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 4096) break;
  }
  return Object.fromEntries(new URLSearchParams(body));
}

function handler(options) {
  return async (req, res) => {
    const url = new URL(req.url, 'http://shop');
    const html = (status, text, headers = {}) => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers });
      res.end(text);
    };
    const { session, just_signed_in: justSignedIn } = cookies(req);
    if (req.method === 'GET' && url.pathname === '/') return html(200, page('Home', '<p>Welcome.</p>'));
    if (req.method === 'GET' && url.pathname === '/login') {
      return html(200, page('Sign in', `<form method="post" action="/login">
<label>Email <input id="email" name="email" type="email"></label>
<label>Password <input id="password" name="password" type="password"></label>
<button id="sign-in" type="submit">Sign in</button>
</form>`));
    }
    if (req.method === 'POST' && url.pathname === '/login') {
      const { email = '', password = '' } = await form(req);
      if (!email.trim() || !password) return html(400, page('Sign in', '<p id="login-error">Enter your email and password.</p>'));
      res.writeHead(303, {
        location: '/account',
        'set-cookie': [`session=${encodeURIComponent(email.trim())}; Path=/; SameSite=Lax`, 'just_signed_in=1; Path=/; SameSite=Lax'],
      });
      return res.end();
    }
    if (req.method === 'GET' && url.pathname === '/account') {
      if (!session) return html(200, page('Account', '<p id="who-none">You are not signed in.</p>'));
      // The first page after signing in tells GWE who the visitor is, once.
      const pushes = justSignedIn && !options.forgetSignIn ? [['event', 'SignIn', { data: { userId: session, email: session } }]] : [];
      return html(200, page('Account', `<p id="who">Signed in as ${escape(session)}</p>`, pushes), {
        'set-cookie': 'just_signed_in=; Path=/; Max-Age=0',
      });
    }
    if (url.pathname === '/favicon.ico') return void res.writeHead(204).end();
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  };
}

/** Starts the shop on `port` (0: a free one); answers its origin and how to stop it. */
export async function startShop({ port = 0, forgetSignIn = process.env.SHOP_FORGETS_SIGNIN === '1' } = {}) {
  const server = createServer(handler({ forgetSignIn }));
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    // localhost: a site the extension tracks without being told (others: extensionDir({sites})).
    url: `http://localhost:${server.address().port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const shop = await startShop({ port: Number(process.env.PORT ?? 3000) });
  console.log(`shop on ${shop.url}`);
}
