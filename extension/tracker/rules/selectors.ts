// `element` is a jQuery selector in GWE's DSL (GWE's tracker runs jQuery). CSS covers most of it;
// jQuery's own extensions are translated (`:input`, `:button`, `:text`, `:header`...) or applied
// as filters on what CSS selected (`:contains()`, `:visible`, `:hidden`, `:eq()`, `:first`,
// `:last`, `:gt()`, `:lt()`, `:even`, `:odd`), the way jQuery's own engine reads them.

const AS_CSS: Record<string, string> = {
  input: ':is(input, textarea, select, button)',
  button: ':is(button, input[type="button"])',
  submit: ':is(input[type="submit"], button[type="submit"], button:not([type]))',
  reset: ':is(input[type="reset"], button[type="reset"])',
  text: 'input:is([type="text"], :not([type]))',
  password: '[type="password"]',
  radio: '[type="radio"]',
  checkbox: '[type="checkbox"]',
  file: '[type="file"]',
  image: '[type="image"]',
  header: ':is(h1, h2, h3, h4, h5, h6)',
  selected: ':checked',
  parent: ':not(:empty)',
};

type Filter = (els: Element[]) => Element[];

const visible = (el: Element) => {
  const e = el as HTMLElement;
  return !!(e.offsetWidth || e.offsetHeight || e.getClientRects?.().length);
};
const unquote = (s: string) => s.trim().replace(/^(['"])(.*)\1$/, '$2');

/** A pseudo-class jQuery applies after selecting, or undefined for one CSS knows. */
function filterFor(name: string, arg: string | undefined): Filter | undefined {
  const n = Number(arg);
  switch (name) {
    case 'contains':
      return (els) => els.filter((el) => (el.textContent ?? '').includes(unquote(arg ?? '')));
    case 'visible':
      return (els) => els.filter(visible);
    case 'hidden':
      return (els) => els.filter((el) => !visible(el));
    case 'first':
      return (els) => els.slice(0, 1);
    case 'last':
      return (els) => els.slice(-1);
    case 'eq':
      return (els) => (n < 0 ? els.slice(n).slice(0, 1) : els.slice(n, n + 1));
    case 'gt':
      return (els) => els.slice(n < 0 ? els.length + n + 1 : n + 1);
    case 'lt':
      return (els) => els.slice(0, n < 0 ? els.length + n : n);
    case 'even':
      return (els) => els.filter((_, i) => i % 2 === 0);
    case 'odd':
      return (els) => els.filter((_, i) => i % 2 === 1);
    default:
      return undefined;
  }
}

/** One comma-separated part: its CSS, then jQuery's filters in order. */
interface Part {
  css: string;
  filters: Filter[];
}

/** Splits at top-level commas (not in quotes, brackets or parentheses). */
function splitTop(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(selector.slice(start));
  return parts.map((p) => p.trim()).filter(Boolean);
}

const PSEUDO = /:([a-z-]+)(?:\((\s*(?:"[^"]*"|'[^']*'|[^()]*)\s*)\))?/g;

function compilePart(part: string): Part {
  const filters: Filter[] = [];
  let firstFilter = -1;
  const css = part.replace(PSEUDO, (whole: string, name: string, arg: string | undefined, at: number) => {
    if (arg === undefined && AS_CSS[name]) return AS_CSS[name];
    const filter = filterFor(name, arg);
    if (!filter) return whole;
    filters.push(filter);
    if (firstFilter < 0) firstFilter = at;
    return '';
  });
  // A filter stands for the whole part up to it (`li:first` is the first li); a selector going on
  // past it (`li:first a`) would need jQuery's own engine.
  if (firstFilter >= 0 && part.slice(firstFilter).replace(PSEUDO, '').trim() !== '') {
    throw new Error('a jQuery filter (:first, :eq(), :contains()...) is supported only at the end of a selector');
  }
  return { css: css.trim() || '*', filters };
}

export interface Selector {
  /** The elements it selects now, in document order. */
  all(root: ParentNode): Element[];
  /** The selected element that is `target` or holds it, if any. */
  holding(root: ParentNode, target: EventTarget | null): Element | undefined;
}

/** Compiles a jQuery selector; throws, with the reason, for one the page's engine cannot read. */
export function jquerySelector(selector: string, doc: Document): Selector {
  const parts = splitTop(selector).map(compilePart);
  if (!parts.length) throw new Error('empty selector');
  // Checked now, so a bad selector is reported when the rules load, not at the first click.
  for (const p of parts) doc.querySelectorAll(p.css);
  const all = (root: ParentNode) => {
    const found = new Set<Element>();
    for (const p of parts) {
      let els = Array.from(root.querySelectorAll(p.css));
      for (const f of p.filters) els = f(els);
      for (const el of els) found.add(el);
    }
    return Array.from(found);
  };
  return {
    all,
    holding(root, target) {
      const node = target as Node | null;
      if (!node || typeof node.nodeType !== 'number') return undefined;
      // Without filters, closest() answers without listing the page's elements.
      if (parts.every((p) => !p.filters.length)) {
        const el = node.nodeType === 1 ? (node as Element) : node.parentElement;
        return el?.closest(parts.map((p) => p.css).join(', ')) ?? undefined;
      }
      return all(root).find((el) => el === node || el.contains(node));
    },
  };
}
