// A domain-model.xml read as GWE's DSL defines it (contract section 5; GWE's DSL reference:
// `event`, `trigger`, `val`): each <event id name condition postcondition> with its <trigger
// name element action type url count> elements (all must match) and <val name value> children,
// of the event or of a trigger. What cannot run is listed with the reason, never dropped quietly.

export type TriggerAction =
  | { kind: 'dom'; type: string }
  | { kind: 'enterkey' }
  | { kind: 'timer'; ms: number; type: 'timeout' | 'nomove' };

export interface Val {
  name: string;
  /** A JavaScript expression, run in the page (GWE: with jQuery as `$`, `event` in a trigger's). */
  value: string;
}

export interface Trigger {
  name: string;
  /** A jQuery selector (rules/selectors.ts); empty for a timer. */
  element: string;
  action: TriggerAction;
  /** The page's address must match it (a regular expression, else plain text) for the trigger to be set. */
  url: string;
  /** How many times its DOM event must happen before the trigger matches. */
  count: number;
  vals: Val[];
}

export interface RuleEvent {
  id: string;
  name: string;
  /** Evaluated once on the page: triggers are installed only when it is true. */
  condition: string;
  /** Evaluated when the triggers have matched: the event is sent only when it is true. */
  postcondition: string;
  triggers: Trigger[];
  vals: Val[];
}

export interface RuleProblem {
  /** The event's id (or name), or '' for the file. */
  rule: string;
  reason: string;
}

/** Larger files are refused: parsing runs on the page's main thread. */
export const MAX_RULES_BYTES = 256 * 1024;
/** setTimeout's limit; longer timers would fire at once. */
const MAX_DELAY = 2 ** 31 - 1;

interface XmlParser {
  parseFromString(xml: string, type: 'application/xml'): Pick<Document, 'getElementsByTagName'>;
}

const childrenNamed = (el: Element, tag: string): Element[] => Array.from(el.childNodes).filter((n): n is Element => n.nodeType === 1 && (n as Element).tagName === tag);

function vals(el: Element, rule: string, problems: RuleProblem[]): Val[] {
  const out: Val[] = [];
  for (const v of childrenNamed(el, 'val')) {
    const name = v.getAttribute('name') ?? '';
    if (!name) problems.push({ rule, reason: 'a <val> without a name is left out' });
    else out.push({ name, value: v.getAttribute('value') ?? '' });
  }
  return out;
}

function action(text: string, type: string): TriggerAction | string {
  const timer = /^timer:(\d+)$/.exec(text);
  if (timer) {
    if (type !== 'timeout' && type !== 'nomove') return `timer type must be timeout or nomove (got "${type}")`;
    return { kind: 'timer', ms: Math.min(Number(timer[1]), MAX_DELAY), type };
  }
  if (text === 'enterkey') return { kind: 'enterkey' };
  // Any DOM event name (click, change, submit, mouseover, focus, keyup...): a word.
  if (/^[a-zA-Z][\w-]*$/.test(text)) return { kind: 'dom', type: text.toLowerCase() };
  return text ? `action "${text}" is not a DOM event name, enterkey or timer:N` : 'the trigger has no action';
}

/** The events of a domain-model.xml, and what cannot run; throws only for a file that is not XML. */
export function parseDomainModel(xml: string, parser: XmlParser = new DOMParser()): { events: RuleEvent[]; problems: RuleProblem[] } {
  if (xml.length > MAX_RULES_BYTES) throw new Error(`larger than ${MAX_RULES_BYTES} bytes`);
  const doc = parser.parseFromString(xml, 'application/xml');
  if (doc.getElementsByTagName('parsererror').length) throw new Error('not well-formed XML');
  const events: RuleEvent[] = [];
  const problems: RuleProblem[] = [];
  const ids = new Set<string>();
  for (const el of Array.from(doc.getElementsByTagName('event'))) {
    const id = el.getAttribute('id') ?? '';
    const name = el.getAttribute('name') || id;
    const rule = id || name || '(no id)';
    if (!name) {
      problems.push({ rule, reason: 'the event has neither name nor id' });
      continue;
    }
    if (id && ids.has(id)) problems.push({ rule, reason: `another event has the id "${id}" (ids must be unique); both are run` });
    ids.add(id);
    const triggers: Trigger[] = [];
    let broken = false;
    for (const t of childrenNamed(el, 'trigger')) {
      const get = (a: string) => (t.getAttribute(a) ?? '').trim();
      const act = action(get('action'), get('type'));
      const tname = get('name') || `#${triggers.length + 1}`;
      if (typeof act === 'string') {
        problems.push({ rule, reason: `trigger ${tname}: ${act}` });
        broken = true;
        continue;
      }
      if (act.kind !== 'timer' && !get('element')) {
        problems.push({ rule, reason: `trigger ${tname}: a ${act.kind === 'dom' ? act.type : 'enterkey'} trigger needs an element` });
        broken = true;
        continue;
      }
      const count = get('count') === '' ? 1 : Number(get('count'));
      if (!Number.isInteger(count) || count < 1) problems.push({ rule, reason: `trigger ${tname}: count "${get('count')}" is not a whole number from 1; 1 is used` });
      triggers.push({ name: tname, element: get('element'), action: act, url: get('url'), count: Number.isInteger(count) && count >= 1 ? count : 1, vals: vals(t, rule, problems) });
    }
    // An event with a trigger that cannot run can never have all its triggers match.
    if (broken) continue;
    if (!triggers.length) {
      problems.push({ rule, reason: 'the event has no trigger' });
      continue;
    }
    events.push({ id, name, condition: (el.getAttribute('condition') ?? '').trim(), postcondition: (el.getAttribute('postcondition') ?? '').trim(), triggers, vals: vals(el, rule, problems) });
  }
  return { events, problems };
}
