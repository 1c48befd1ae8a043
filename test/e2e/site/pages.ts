// HTML of the Lab Shop test site. Every page is instrumented the way GWE's Visitor
// Identification chapter tells site owners to: the `_gt` queue and its config are the very first
// thing in <head>, identity commands follow, then (optionally) the async GWE loader snippet.

export interface Product {
  sku: string;
  name: string;
  price: number;
}

export const PRODUCTS: readonly Product[] = [
  { sku: 'sku-1', name: 'Blue Mug', price: 12.5 },
  { sku: 'sku-2', name: 'Red Kettle', price: 39 },
  { sku: 'sku-3', name: 'Green Teapot', price: 24.9 },
];

export const productBySku = (sku: string): Product | undefined => PRODUCTS.find((p) => p.sku === sku);

/** Text or attribute value for HTML. */
export const esc = (value: unknown): string =>
  String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A JS literal safe inside <script>: no `</script>` or `<!--` can appear in it. */
export const js = (value: unknown): string =>
  JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

/** What every page's head needs from the server: the tracker config and the pending identity commands. */
export interface HeadContext {
  companionUrl?: string;
  loader: boolean;
  languageCode: string;
  /** `_gt` commands decided from the cookies (SignIn, SignOut, UserInfo). */
  identity: unknown[][];
  signedIn: boolean;
}

export interface PageSpec {
  title: string;
  /** JS run in the first head script right after the config push (before identity pushes). */
  early?: string;
  /** Extra head scripts, each its own <script> after the first one (and the loader). */
  headScripts?: string[];
  body: string;
  /** Scripts at the end of <body>, each its own <script>. */
  bodyScripts?: string[];
}

const loaderSnippet = (companionUrl: string): string =>
  // The shape of GWE's published snippet: an inline script that adds an async <script> tag.
  `(function (d, src) {
  var gt = d.createElement('script'); gt.async = true; gt.src = src;
  var s = d.getElementsByTagName('script')[0]; s.parentNode.insertBefore(gt, s);
})(document, ${js(`${companionUrl.replace(/\/+$/, '')}/server/resources/js/build/GPE.min.js`)});`;

export function renderPage(ctx: HeadContext, page: PageSpec): string {
  const endpoints = ctx.companionUrl ? { httpEndpoint: ctx.companionUrl, httpsEndpoint: ctx.companionUrl } : {};
  const config = { ...endpoints, debug: false, languageCode: ctx.languageCode };
  const first = [
    'var _gt = window._gt || [];',
    `_gt.push(${js(['config', config])});`,
    ...(page.early ? [page.early] : []),
    ...ctx.identity.map((command) => `_gt.push(${js(command)});`),
  ].join('\n');
  const scripts = (list: string[]) => list.map((s) => `<script>\n${s}\n</script>\n`).join('');
  const auth = ctx.signedIn ? '<a id="nav-logout" href="/logout">Sign out</a>' : '<a id="nav-login" href="/login">Sign in</a>';
  return `<!doctype html>
<html lang="${esc(ctx.languageCode)}">
<head>
<script>
${first}
</script>
${ctx.loader && ctx.companionUrl ? scripts([loaderSnippet(ctx.companionUrl)]) : ''}${scripts(page.headScripts ?? [])}<meta charset="utf-8">
<title>${esc(page.title)}</title>
</head>
<body>
<nav>
<a id="nav-home" href="/">Home</a> | <a id="nav-products" href="/products">Products</a> | <a id="nav-cart" href="/cart">Cart</a> | ${auth} | <a id="nav-account" href="/account">Account</a>
</nav>
<main>
<h1>${esc(page.title)}</h1>
${page.body}
</main>
${scripts(page.bodyScripts ?? [])}</body>
</html>
`;
}

export const homePage = (): PageSpec => ({
  title: 'Lab Shop – Home',
  body: '<p>Welcome to the Lab Shop, a test site for visitor identification.</p>',
});

export const productsPage = (): PageSpec => ({
  title: 'Lab Shop – Products',
  body: `<ul id="product-list">\n${PRODUCTS.map(
    (p) => `<li><a class="product" href="/products/${esc(p.sku)}">${esc(p.name)}</a> ${esc(p.price.toFixed(2))}</li>`,
  ).join('\n')}\n</ul>`,
});

export const productPage = (p: Product): PageSpec => ({
  title: `Lab Shop – ${p.name}`,
  body: `<p id="price">${esc(p.price.toFixed(2))}</p>
<button id="add-to-cart" type="button" data-sku="${esc(p.sku)}">Add to cart</button>
<p id="cart-status"></p>`,
  // A real site's handler: the business event first, then its own cart call.
  bodyScripts: [
    `document.getElementById('add-to-cart').addEventListener('click', function () {
  var sku = ${js(p.sku)}, price = ${js(p.price)};
  _gt.push(['event', 'AddToCart', { data: { sku: sku, price: price } }]);
  fetch('/cart/add', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sku: sku }) })
    .then(function (r) { return r.json(); })
    .then(function (b) { document.getElementById('cart-status').textContent = 'Added to cart (' + b.count + ' items)'; });
});`,
  ],
});

export const notFoundPage = (): PageSpec => ({
  title: 'Lab Shop – Not found',
  body: '<p id="not-found">No such product.</p>',
});

export const cartPage = (skus: string[]): PageSpec => ({
  title: 'Lab Shop – Cart',
  body: skus.length
    ? `<ul id="cart-items">\n${skus
        .map((s) => `<li class="cart-item" data-sku="${esc(s)}">${esc(productBySku(s)?.name ?? s)}</li>`)
        .join('\n')}\n</ul>`
    : '<p id="cart-empty">Your cart is empty.</p>',
});

export const loginPage = (error?: string, email = ''): PageSpec => ({
  title: 'Lab Shop – Sign in',
  // No `required` attributes: tests must be able to submit an empty password to see the error.
  body: `${error ? `<p id="login-error">${esc(error)}</p>\n` : ''}<form id="login-form" method="post" action="/login">
<label>Email <input id="email" name="email" type="email" value="${esc(email)}"></label>
<label>Password <input id="password" name="password" type="password"></label>
<label><input id="remember" name="remember" type="checkbox" value="1"> Remember me</label>
<button id="sign-in" type="submit">Sign in</button>
</form>`,
});

export const accountPage = (email?: string): PageSpec => ({
  title: 'Lab Shop – Account',
  body: email
    ? `<p id="who">Signed in as ${esc(email)}</p>`
    : '<p id="who-none">You are not signed in. <a id="account-login" href="/login">Sign in</a></p>',
});

/** A business event pushed in the first head script, before any tracker could have loaded. */
export const earlyPage = (): PageSpec => ({
  title: 'Lab Shop – Early',
  early: `_gt.push(['event', 'EarlyBird', { data: { at: 'head' } }]);`,
  body: '<p>This page pushed an event from its first head script.</p>',
});

/** A page whose load never completes soon (an image that takes 10 s): left before then. */
export const slowPage = (): PageSpec => ({
  title: 'Lab Shop – Slow',
  body: '<p>The picture below takes ten seconds.</p><img id="slow-image" src="/slow-image.png" alt="">',
});

/** Business-event rules (GWE's DSL): the page names its rules file in a config push. */
export const rulesPage = (dslResource: string): PageSpec => ({
  title: 'Lab Shop – Rules',
  early: `_gt.push(['config', { dslResource: ${js(dslResource)} }]);`,
  body: '<p>Rules: clicking <button id="rule-button" class="promo">this button</button> twice raises PromoClicked; 300 ms in view raises Seen.</p>',
});

/** The rules file /rules serves. */
export const RULES_XML = `<?xml version="1.0" encoding="UTF-8"?>
<events>
  <event id="promo" name="PromoClicked">
    <trigger name="promo-click" element="button.promo" action="click" url="/rules" count="2"/>
  </event>
  <event id="seen" name="Seen">
    <trigger name="seen-timer" element="" action="timer:300" type="timeout" url="" count="1"/>
  </event>
  <event id="elsewhere" name="NotHere">
    <trigger name="other-page" element="button.promo" action="click" url="/somewhere-else" count="1"/>
  </event>
</events>
`;

/** Some sites reset the queue with a plain array after the tracker took it over. */
export const reassignPage = (): PageSpec => ({
  title: 'Lab Shop – Reassign',
  body: '<p>This page reassigns window._gt at the end of its body.</p>',
  bodyScripts: [`window._gt = []; _gt.push(['event', 'AfterReassign', { data: {} }]);`],
});

/** GWE 8.1's event form: the name and parameters in one object. */
export const legacyPage = (): PageSpec => ({
  title: 'Lab Shop – Legacy',
  early: `_gt.push(['event', { eventName: 'LegacyThing', color: 'red' }]);`,
  body: '<p>This page pushed a GWE 8.1 style event.</p>',
});

/** Hostile commands; the later script proves the tracker did not break the page. */
export const garbagePage = (): PageSpec => ({
  title: 'Lab Shop – Garbage',
  headScripts: [
    `_gt.push('not-an-array');
_gt.push(['noSuchCommand']);
_gt.push(['event', 'SignIn', { data: {} }]);
_gt.push(null);`,
    'window.__pageScriptsRan = true;',
  ],
  body: '<p>This page pushed garbage into _gt.</p>',
});
