// Business-event rules (contract section 5): the `domain-model.xml` a site's config names as
// `dslResource`. Each <event name> has <trigger> elements: `action="click"` on the CSS selector
// `element`, or `action="timer:MS"` (time the page has been visible). `url`, when set, must
// occur in the page's address; `count` is how many times the action must happen for each event.
// `<val>` expressions (JavaScript in GWE) are not run.

export interface Rule {
  name: string;
  action: 'click' | 'timer';
  element: string;
  delay: number;
  url: string;
  count: number;
}

const attr = (tag: string, name: string): string => {
  const m = new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)')`).exec(tag);
  const raw = m ? (m[2] ?? m[3]) : '';
  const entities: Record<string, string> = { quot: '"', apos: "'", lt: '<', gt: '>', amp: '&' };
  return raw.replace(/&(quot|apos|lt|gt|amp);/g, (_, e: string) => entities[e]);
};

/** The rules of a domain-model.xml; triggers it cannot run are left out. */
export function parseRules(xml: string): Rule[] {
  const rules: Rule[] = [];
  for (const [, open, body] of xml.matchAll(/<event\b([^>]*)>([\s\S]*?)<\/event>/g)) {
    const name = attr(open, 'name') || attr(open, 'id');
    if (!name) continue;
    for (const [tag] of body.matchAll(/<trigger\b[^>]*>/g)) {
      const action = attr(tag, 'action');
      const timer = /^timer:(\d+)$/.exec(action);
      const element = attr(tag, 'element');
      if (action !== 'click' && !timer) continue;
      if (action === 'click' && !element) continue;
      rules.push({
        name,
        action: timer ? 'timer' : 'click',
        element,
        delay: timer ? Number(timer[1]) : 0,
        url: attr(tag, 'url'),
        count: Math.max(1, Number(attr(tag, 'count')) || 1),
      });
    }
  }
  return rules;
}

/** Runs the rules on a page; `fire` gets the event's name and what triggered it. */
export function runRules(rules: Rule[], win: Window, fire: (name: string, trigger: string) => void): void {
  const doc = win.document;
  const here = (r: Rule) => !r.url || win.location.href.includes(r.url);
  const counts = new Map<Rule, number>();
  const hit = (r: Rule, trigger: string) => {
    const n = (counts.get(r) ?? 0) + 1;
    counts.set(r, n);
    if (n % r.count === 0) fire(r.name, trigger);
  };
  doc.addEventListener(
    'click',
    (e) => {
      const target = e.target as Element | null;
      for (const r of rules) {
        try {
          if (r.action === 'click' && here(r) && target?.closest?.(r.element)) hit(r, `click ${r.element}`);
        } catch {
          // An invalid selector in the rules: that trigger never fires.
        }
      }
    },
    true,
  );
  for (const r of rules) {
    if (r.action !== 'timer' || !here(r)) continue;
    // Counts only while the page is visible ("a focused page").
    let left = r.delay;
    let started = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const start = () => {
      if (timer !== undefined || left <= 0 || doc.visibilityState === 'hidden') return;
      started = Date.now();
      timer = setTimeout(() => {
        left = 0;
        hit(r, `timer:${r.delay}`);
      }, left);
    };
    doc.addEventListener('visibilitychange', () => {
      if (doc.visibilityState === 'hidden' && timer !== undefined) {
        clearTimeout(timer);
        timer = undefined;
        left -= Date.now() - started;
      } else start();
    });
    start();
  }
}
