// GWE runs the DSL's `condition`, `postcondition` and `<val value>` as JavaScript in the page,
// with jQuery as `$` (GWE's tracker ships it) and, in a trigger's vals, the DOM `event` it
// matched. The page's own jQuery is used when it has one; else a small stand-in that answers
// what rules use: `$(selector or element)` with length, val, text, html, attr, prop, is, find,
// first, eq.
import { jquerySelector } from './selectors';

interface Lite {
  length: number;
  [index: number]: Element;
  val(): unknown;
  text(): string;
  html(): string;
  attr(name: string): string | undefined;
  prop(name: string): unknown;
  is(selector: string): boolean;
  find(selector: string): Lite;
  first(): Lite;
  eq(i: number): Lite;
  get(i: number): Element | undefined;
}

function lite(doc: Document, els: Element[]): Lite {
  const first = els[0] as (Element & { value?: unknown }) | undefined;
  const out: Lite = {
    length: els.length,
    val: () => first?.value,
    text: () => els.map((e) => e.textContent ?? '').join(''),
    html: () => first?.innerHTML ?? '',
    attr: (n) => first?.getAttribute(n) ?? undefined,
    prop: (n) => (first as unknown as Record<string, unknown> | undefined)?.[n],
    is: (s) => {
      const sel = jquerySelector(s, doc);
      return els.some((e) => sel.holding(doc, e) === e);
    },
    find: (s) => lite(doc, [...new Set(els.flatMap((e) => jquerySelector(s, doc).all(e)))]),
    first: () => lite(doc, els.slice(0, 1)),
    eq: (i) => lite(doc, els.slice(i).slice(0, 1)),
    get: (i) => els[i],
  };
  els.forEach((e, i) => (out[i] = e));
  return out;
}

export type Dollar = (what: unknown) => unknown;

/** The page's jQuery, or the stand-in. */
export function dollarFor(win: Window): Dollar {
  const own = (win as unknown as { jQuery?: Dollar }).jQuery;
  if (typeof own === 'function') return own;
  const doc = win.document;
  return (what) => {
    if (typeof what === 'string') return lite(doc, jquerySelector(what, doc).all(doc));
    if (what && typeof (what as Node).nodeType === 'number') return lite(doc, [what as Element]);
    if (what === win) return lite(doc, [doc.documentElement]);
    return lite(doc, []);
  };
}

/** Compiles an expression once; throws (with the reason) if the page refuses it (CSP) or it does not parse. */
export function compileExpression(win: Window, expr: string): (event: Event | null) => unknown {
  const PageFunction = (win as unknown as { Function: FunctionConstructor }).Function;
  const fn = new PageFunction('event', '$', 'jQuery', `return (${expr}\n);`) as (e: Event | null, $: Dollar, jq: Dollar) => unknown;
  const $ = dollarFor(win);
  return (event) => fn(event, $, $);
}

/** A value as JSON carries it: an element or anything else JSON cannot hold becomes its text. */
export function jsonValue(v: unknown): unknown {
  if (v === undefined) return null;
  if (v && typeof v === 'object' && typeof (v as { jquery?: unknown; length?: unknown }).length === 'number' && 'val' in (v as object)) {
    // A jQuery result where a value was meant: its first element's value, as GWE's rules mean.
    return jsonValue((v as { val(): unknown }).val());
  }
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : JSON.parse(s);
  } catch {
    return String(v);
  }
}
