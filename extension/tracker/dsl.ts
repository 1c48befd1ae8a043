// Business-event rules (contract section 5): the `domain-model.xml` a site's config names as
// `dslResource`. Each <event name> has <trigger> elements: `action="click"` on the CSS selector
// `element`, or `action="timer:MS"` (time the page has been visible). `url`, when set, must
// occur in the page's address; `count` is how many times the action must happen for each event.
// `<val>` expressions (JavaScript in GWE) are not run. GPE.min.js runs this small engine (it must
// stay under 4 KB); the extension runs all of GWE's DSL (rules/).

export interface Rule {
  name: string;
  action: 'click' | 'timer';
  element: string;
  delay: number;
  url: string;
  count: number;
}

/** Larger rule files are refused: parsing runs on the page's main thread. */
export const MAX_RULES_BYTES = 256 * 1024;
/** setTimeout's limit; longer timers would fire at once. */
const MAX_DELAY = 2 ** 31 - 1;

interface XmlParser {
  parseFromString(xml: string, type: 'application/xml'): Pick<Document, 'getElementsByTagName'>;
}

/** The rules of a domain-model.xml (parsed by the browser's XML parser); throws on bad XML. */
export function parseRules(xml: string, parser: XmlParser = new DOMParser()): Rule[] {
  if (xml.length > MAX_RULES_BYTES) throw new Error(`larger than ${MAX_RULES_BYTES} bytes`);
  const doc = parser.parseFromString(xml, 'application/xml');
  if (doc.getElementsByTagName('parsererror').length) throw new Error('not well-formed XML');
  const rules: Rule[] = [];
  for (const event of Array.from(doc.getElementsByTagName('event'))) {
    const name = event.getAttribute('name') || event.getAttribute('id');
    if (!name) continue;
    for (const trigger of Array.from(event.getElementsByTagName('trigger'))) {
      const get = (a: string) => trigger.getAttribute(a) ?? '';
      const action = get('action');
      const timer = /^timer:(\d+)$/.exec(action);
      const element = get('element');
      if (!(timer || (action === 'click' && element))) continue;
      rules.push({
        name,
        action: timer ? 'timer' : 'click',
        element,
        delay: timer ? Math.min(Number(timer[1]), MAX_DELAY) : 0,
        url: get('url'),
        count: Math.max(1, Number(get('count')) || 1),
      });
    }
  }
  return rules;
}

/** Runs the rules on a page; `fire` gets the event's name. */
export function runRules(rules: Rule[], win: Window, fire: (name: string) => void): void {
  const doc = win.document;
  const here = (r: Rule) => !r.url || win.location.href.includes(r.url);
  const counts = new Map<Rule, number>();
  const hit = (r: Rule) => {
    const n = (counts.get(r) ?? 0) + 1;
    counts.set(r, n);
    if (n % r.count === 0) fire(r.name);
  };
  doc.addEventListener(
    'click',
    (e) => {
      for (const r of rules) {
        try {
          if (r.action === 'click' && here(r) && (e.target as Element).closest(r.element)) hit(r);
        } catch {
          // An invalid selector (or a click on a non-element): that trigger does not fire.
        }
      }
    },
    true,
  );
  // GWE's timeout: from the page's load (the rules load after it), once a page. The default
  // Timeout-30's postcondition (document.hasFocus()) is not run here: see rules/ for the full DSL.
  for (const r of rules) if (r.action === 'timer' && here(r)) setTimeout(() => fire(r.name), r.delay);
}
