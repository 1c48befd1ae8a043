// Runs a domain-model.xml's business events in the page as GWE's tracker does: each event whose
// `condition` holds gets its triggers set (on the pages their `url` names); when every trigger
// has matched (DOM events counted to `count`, `enterkey`, timers of `timeout` or `nomove`) and
// the `postcondition` holds, the event is raised with its `<val>` values. Whatever cannot run is
// reported through `fail`, with the reason.
import type { RuleHooks } from '../rules-loader';
import { parseDomainModel, type RuleEvent, type Trigger, type Val } from './model';
import { jquerySelector, type Selector } from './selectors';
import { compileExpression, jsonValue } from './values';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** GWE's `url`: a regular expression on the page's address; plain text where it is not one. */
function urlMatches(url: string, href: string): boolean {
  if (!url || href.includes(url)) return true;
  try {
    return new RegExp(url).test(href);
  } catch {
    return false;
  }
}

type Compiled = (event: Event | null) => unknown;

function compileVals(win: Window, vals: Val[]): Array<[string, Compiled]> {
  return vals.map((v) => [v.name, compileExpression(win, v.value || 'undefined')]);
}

function computeVals(vals: Array<[string, Compiled]>, event: Event | null, into: Record<string, unknown>, notes: string[]): void {
  for (const [name, fn] of vals) {
    try {
      into[name] = jsonValue(fn(event));
    } catch (e) {
      notes.push(`val ${name}: ${message(e)}`);
    }
  }
}

interface TriggerState {
  trigger: Trigger;
  vals: Array<[string, Compiled]>;
  seen: number;
  matched: boolean;
  data: Record<string, unknown>;
  notes: string[];
}

function installEvent(ev: RuleEvent, win: Window, hooks: RuleHooks): void {
  const doc = win.document;
  const rule = `rule ${ev.id || ev.name}`;
  if (!ev.triggers.every((t) => urlMatches(t.url, win.location.href))) return; // not on this page
  let postcondition: Compiled | null = null;
  let eventVals: Array<[string, Compiled]>;
  const states: TriggerState[] = [];
  const selectors: Array<Selector | null> = [];
  try {
    if (ev.condition && !compileExpression(win, ev.condition)(null)) return; // GWE: not installed
    if (ev.postcondition) postcondition = compileExpression(win, ev.postcondition);
    eventVals = compileVals(win, ev.vals);
    for (const t of ev.triggers) {
      states.push({ trigger: t, vals: compileVals(win, t.vals), seen: 0, matched: false, data: {}, notes: [] });
      selectors.push(t.action.kind === 'timer' || t.element === 'window' || t.element === 'document' ? null : jquerySelector(t.element, doc));
    }
  } catch (e) {
    hooks.fail(`${rule}: ${message(e)}`);
    return;
  }

  const check = (event: Event | null) => {
    if (!states.every((s) => s.matched)) return;
    const data: Record<string, unknown> = {};
    const notes: string[] = [];
    for (const s of states) {
      Object.assign(data, s.data);
      notes.push(...s.notes);
      // DOM triggers match again from zero; a timer happens once on a page.
      if (s.trigger.action.kind !== 'timer') Object.assign(s, { seen: 0, matched: false, data: {}, notes: [] });
    }
    try {
      if (postcondition && !postcondition(event)) return;
    } catch (e) {
      hooks.fail(`${rule}: postcondition: ${message(e)}`);
      return;
    }
    computeVals(eventVals, event, data, notes);
    hooks.fire(ev.name, data, notes.length ? notes.join('; ') : undefined);
  };

  const hit = (s: TriggerState, event: Event | null) => {
    if (++s.seen < s.trigger.count) return;
    s.matched = true;
    s.data = {};
    s.notes = [];
    computeVals(s.vals, event, s.data, s.notes);
    check(event);
  };

  states.forEach((s, i) => {
    const { action, element } = s.trigger;
    if (action.kind === 'timer') {
      // timeout: from the page's load (the rules load after it); nomove: without a mouse move.
      let timer = setTimeout(() => hit(s, null), action.ms);
      if (action.type === 'nomove') {
        doc.addEventListener('mousemove', () => {
          if (s.matched || s.seen) return;
          clearTimeout(timer);
          timer = setTimeout(() => hit(s, null), action.ms);
        }, { capture: true, passive: true });
      }
      return;
    }
    const type = action.kind === 'enterkey' ? 'keydown' : action.type;
    const target: EventTarget = element === 'window' ? win : doc;
    target.addEventListener(
      type,
      (e) => {
        try {
          if (action.kind === 'enterkey' && (e as KeyboardEvent).key !== 'Enter') return;
          const sel = selectors[i];
          if (sel && !sel.holding(doc, e.target)) return;
          hit(s, e);
        } catch (err) {
          hooks.fail(`${rule}: trigger ${s.trigger.name}: ${message(err)}`);
        }
      },
      { capture: true, passive: true },
    );
  });
}

/** Parses and runs a domain-model.xml on the page; throws only for a file that is not XML at all. */
export function runDomainModel(xml: string, win: Window, hooks: RuleHooks): void {
  const { events, problems } = parseDomainModel(xml);
  for (const p of problems) hooks.fail(`rule ${p.rule}: ${p.reason}`);
  for (const ev of events) installEvent(ev, win, hooks);
}
