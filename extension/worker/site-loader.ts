// A tracked site's own GWE loader is held back: its snippet adds a <script> for
// `<GWE server>/server/resources/js/build/GPE.min.js` (or GTC.min.js), which would install a
// second `_gt` and send every event to the real GWE server. declarativeNetRequest rules block
// those scripts for pages of the enabled sites only (initiatorDomains), so Visitor Lab's
// tracker alone serves `_gt`; other sites load their loader as usual. The site's rules file
// (its config's `dslResource`) is still read from its GWE server; a rule here lets the page
// read it across origins where the extension may touch that server (see docs/extension.md).
import { browser } from 'wxt/browser';

/** GWE's documented loader paths, held back on every enabled site. */
export const GWE_LOADER_FILTERS = ['/server/resources/js/build/GPE.min.js', '/server/resources/js/build/GTC.min.js'];
/**
 * A site's rules file (`dslResource`): an .xml under GWE's `/server/resources/dsl/`, or any
 * `domain-model.xml`, matched on the path alone: a query string naming it must not open another
 * answer (the companion's History API, say) to the page.
 */
export const GWE_DSL_REGEX = '^https?://[^/?#]+(/server/resources/dsl/[^?#]*\\.xml|/([^?#]*/)?domain-model\\.xml)([?#].*)?$';

/** The user's own loader patterns (declarativeNetRequest urlFilter syntax), in storage.local. */
export const PATTERNS_KEY = 'visitorLab.loaderPatterns';
export const MAX_PATTERNS = 20;
const MAX_PATTERN_LENGTH = 300;

/** Dynamic rule ids owned by this file: every other id is left alone. */
const FIRST_ID = 1000;
const LAST_ID = 1999;

type Rule = Parameters<typeof browser.declarativeNetRequest.updateDynamicRules>[0] extends infer O
  ? O extends { addRules?: Array<infer R> }
    ? R
    : never
  : never;

/** Why a user pattern cannot be a rule, or null when it can. */
export function patternProblem(pattern: unknown): string | null {
  if (typeof pattern !== 'string') return 'each pattern must be text';
  if (!pattern.trim()) return 'a pattern may not be empty';
  if (pattern.length > MAX_PATTERN_LENGTH) return `a pattern may not be longer than ${MAX_PATTERN_LENGTH} characters`;
  // declarativeNetRequest refuses non-ASCII filters; the address of a script is ASCII anyway.
  if (!/^[\x21-\x7e]+$/.test(pattern)) return 'a pattern is ASCII without spaces, like ||gwe.example.com/js/GPE.js';
  if (pattern.startsWith('||*')) return 'a pattern may not start with ||*';
  // Too loose a pattern would hold back every script of the site, the site's own among them.
  if (pattern.replace(/[|*^]/g, '').length < 4) return 'a pattern needs at least 4 characters besides | * ^';
  return null;
}

/** The user's patterns, or the first problem with them (named by the index of the pattern). */
export function checkPatterns(input: unknown): { ok: true; patterns: string[] } | { ok: false; field: string; error: string } {
  if (!Array.isArray(input)) return { ok: false, field: 'patterns', error: 'patterns must be a list of text' };
  if (input.length > MAX_PATTERNS) return { ok: false, field: 'patterns', error: `at most ${MAX_PATTERNS} patterns` };
  const patterns: string[] = [];
  for (const [i, raw] of input.entries()) {
    // Spaces around a pattern (a line pasted into the popup) are not part of it.
    const p: unknown = typeof raw === 'string' ? raw.trim() : raw;
    const problem = patternProblem(p);
    if (problem) return { ok: false, field: `patterns[${i}]`, error: `${problem} (${JSON.stringify(raw)})` };
    if (!patterns.includes(p as string)) patterns.push(p as string);
  }
  return { ok: true, patterns };
}

export async function loaderPatterns(): Promise<string[]> {
  const stored = (await browser.storage.local.get(PATTERNS_KEY))[PATTERNS_KEY];
  const checked = checkPatterns(stored ?? []);
  return checked.ok ? checked.patterns : [];
}

export async function saveLoaderPatterns(patterns: string[]): Promise<void> {
  await browser.storage.local.set({ [PATTERNS_KEY]: patterns });
}

/** The rules for these hosts: one block rule per loader filter, one CORS rule for rules files. */
export function loaderRules(hosts: string[], userPatterns: string[]): Rule[] {
  if (hosts.length === 0) return [];
  let id = FIRST_ID;
  const block = [...GWE_LOADER_FILTERS, ...userPatterns].map(
    (urlFilter): Rule => ({
      id: id++,
      priority: 1,
      action: { type: 'block' },
      condition: { urlFilter, initiatorDomains: hosts, resourceTypes: ['script'] },
    }),
  );
  // The tracker fetches the rules file from the page; a GWE server that does not answer with
  // CORS headers for this site would leave the page unable to read it. `*` fits: the tracker's
  // fetch sends no credentials across origins.
  const cors: Rule = {
    id: id++,
    priority: 1,
    action: {
      type: 'modifyHeaders',
      responseHeaders: [{ header: 'access-control-allow-origin', operation: 'set', value: '*' }],
    },
    condition: { regexFilter: GWE_DSL_REGEX, initiatorDomains: hosts, resourceTypes: ['xmlhttprequest'] },
  };
  return [...block, cors].slice(0, LAST_ID - FIRST_ID + 1);
}

/** Makes the dynamic rules match the tracked hosts and the user's patterns. */
export async function syncLoaderRules(hosts: string[]): Promise<void> {
  const dnr = browser.declarativeNetRequest;
  if (!dnr?.updateDynamicRules) return; // a browser without it: the site's loader runs (docs)
  const existing = (await dnr.getDynamicRules()).filter((r) => r.id >= FIRST_ID && r.id <= LAST_ID);
  const wanted = loaderRules([...hosts].sort(), await loaderPatterns());
  const key = (rules: Array<{ id: number; action: unknown; condition: unknown }>) =>
    JSON.stringify(rules.map((r) => [r.id, r.action, r.condition]));
  // Left alone when nothing changed (every worker start syncs). Compared through the same
  // normalisation the browser applies: only the fields given here.
  const pick = (r: Rule) => ({ id: r.id, action: r.action, condition: r.condition });
  if (existing.length === wanted.length && key(existing.map((r) => pick(r as Rule))) === key(wanted.map(pick))) return;
  await dnr.updateDynamicRules({ removeRuleIds: existing.map((r) => r.id), addRules: wanted });
}

/** A declarativeNetRequest urlFilter as a RegExp over a whole URL (for reading the page's scripts). */
export function urlFilterRegExp(filter: string): RegExp {
  let f = filter;
  let start = '';
  let end = '';
  if (f.startsWith('||')) {
    start = '^[a-z][a-z0-9+.-]*://([^/?#]*\\.)?';
    f = f.slice(2);
  } else if (f.startsWith('|')) {
    start = '^';
    f = f.slice(1);
  }
  if (f.endsWith('|')) {
    end = '$';
    f = f.slice(0, -1);
  }
  const body = f
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '^' ? '([^a-zA-Z0-9_.%-]|$)' : c.replace(/[.+?$(){}[\]\\|/]/g, '\\$&')))
    .join('');
  return new RegExp(start + body + end, 'i');
}

/** The held-back loaders among a page's script addresses. */
export function heldBackAmong(srcs: string[], userPatterns: string[]): string[] {
  const filters = [...GWE_LOADER_FILTERS, ...userPatterns].map(urlFilterRegExp);
  return [...new Set(srcs.filter((src) => filters.some((f) => f.test(src))))];
}

/**
 * The site's loaders held back in the tab's page: its <script> elements whose address a rule
 * blocks. Read from the page (not from onRuleMatchedDebug, which only an unpacked extension
 * with an extra permission gets): it works in any install and in Firefox, and gives the address.
 */
export async function heldBackLoaders(tabId: number): Promise<string[]> {
  try {
    const [result] = await browser.scripting.executeScript({
      target: { tabId },
      func: () => Array.from(document.scripts, (s) => s.src).filter(Boolean),
    });
    const srcs = Array.isArray(result?.result) ? (result.result as unknown[]).filter((s): s is string => typeof s === 'string') : [];
    return heldBackAmong(srcs, await loaderPatterns());
  } catch {
    return []; // the page is gone, or not one the extension may read
  }
}
