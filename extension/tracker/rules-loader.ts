// The config's dslResource: fetched once per page and run by the host's rules engine (the
// extension's: all of GWE's DSL, rules/run.ts), or by dsl.ts's small one (GPE.min.js).
import { parseRules, runRules } from './dsl';

export interface RuleHooks {
  /** A business event to raise: its name, its vals, a note when a val could not be computed. */
  fire(name: string, data?: Record<string, unknown>, note?: string): void;
  /** Why a rule (or the file) cannot run. */
  fail(reason: string): void;
}

export type RulesEngine = (xml: string, win: Window, hooks: RuleHooks) => void;

/** Fetches and runs the rules; every failure goes to `hooks.fail`, none is thrown. */
export function fetchRules(url: string, win: Window, engine: RulesEngine | undefined, hooks: RuleHooks): void {
  const failed = (e: unknown) => hooks.fail((e as Error)?.message ?? String(e));
  try {
    fetch(url)
      .then((res) => (res.ok ? res.text() : Promise.reject(new Error(`HTTP ${res.status}`))))
      .then((xml) => (engine ? engine(xml, win, hooks) : runRules(parseRules(xml), win, hooks.fire)))
      .catch(failed);
  } catch (e) {
    failed(e);
  }
}
