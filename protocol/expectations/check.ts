// Checking a parsed spec against what a scope recorded (issue 11, "Expectations"): pure and
// deterministic (same spec, same input, same report), so the companion, the CLI, the helper
// library and the popup all answer alike. The spec must come from parseSpec.
import { canonicalIdentityId } from '../identifiers';
import { valueText } from './describe';
import type { CaptureProblem, CheckedIdentity, CheckInput, CheckReport, ExpectationResult, IdentityExpectation, Spec, VisitExpectation } from './types';
import { failureOf, matchVisit, type VisitMatch } from './visit-match';

export interface CheckScope {
  run?: string;
  visitId?: string;
}

interface Candidates {
  /** Visits (indexes into input.visits) meeting every step. */
  passing: number[];
  /** Most steps met per visit, for the report of a failure: index and match. */
  matches: VisitMatch[];
}

function candidatesOf(expectation: VisitExpectation, input: CheckInput): Candidates {
  const matches = input.visits.map((v) => matchVisit(expectation.steps, v));
  return { passing: matches.flatMap((m, i) => (m.passed ? [i] : [])), matches };
}

/**
 * Each expectation a different visit, as many met as can be: a maximum bipartite matching
 * (augmenting paths, expectations in spec order, visits in input order, so the answer is
 * deterministic). Specs hold at most 100 expectations, so this stays small whatever the visits.
 */
function assign(cands: Candidates[]): Array<number | undefined> {
  const owner = new Map<number, number>(); // visit -> expectation
  const tryAssign = (e: number, seen: Set<number>): boolean => {
    for (const v of cands[e].passing) {
      if (seen.has(v)) continue;
      seen.add(v);
      const other = owner.get(v);
      if (other === undefined || tryAssign(other, seen)) {
        owner.set(v, e);
        return true;
      }
    }
    return false;
  };
  cands.forEach((_, e) => tryAssign(e, new Set()));
  const byExpectation: Array<number | undefined> = cands.map(() => undefined);
  for (const [v, e] of owner) byExpectation[e] = v;
  return byExpectation;
}

/** The visit with most steps met, among those no other expectation took (else among all); first wins ties. */
function closest(matches: VisitMatch[], taken: Set<number>): VisitMatch | undefined {
  let best: VisitMatch | undefined;
  for (const pass of [false, true]) {
    matches.forEach((m, i) => {
      if ((pass || !taken.has(i)) && (best === undefined || m.met > best.met)) best = m;
    });
    if (best) return best;
  }
  return best;
}

function visitResults(spec: Spec, input: CheckInput): ExpectationResult[] {
  const expectations = spec.visits ?? [];
  const cands = expectations.map((x) => candidatesOf(x, input));
  const assigned = assign(cands);
  const taken = new Set(assigned.filter((v): v is number => v !== undefined));
  return expectations.map((x, e) => {
    const place = `visits[${e}]`;
    const name = x.name ?? `visit ${e + 1}`;
    const v = assigned[e];
    if (v !== undefined) return { place, name, passed: true, visitId: input.visits[v].visitId, stepsMet: x.steps.length };
    if (cands[e].passing.length > 0) {
      // Every visit meeting it was needed by another expectation.
      const ids = cands[e].passing.slice(0, 5).map((i) => input.visits[i].visitId);
      const message = `${name}: every visit meeting its steps (${ids.join(', ')}) is the visit of another expectation; each visit expectation needs a visit of its own`;
      return { place, name, passed: false, stepsMet: x.steps.length, failure: { message } };
    }
    const m = closest(cands[e].matches, taken);
    const scope = input.visits.length === 0 ? ' (the scope holds no visits: were the events sent, and to this run?)' : '';
    const failure = failureOf(x.steps, place, m, scope, input.visits);
    return { place, name, passed: false, stepsMet: failure.stepsMet, failure };
  });
}

function identityResult(x: IdentityExpectation, place: string, identities: CheckedIdentity[]): ExpectationResult {
  const id = canonicalIdentityId(x.identityId);
  const name = `identity ${x.identityId}`;
  const fail = (message: string): ExpectationResult => ({ place, name, passed: false, failure: { message: `${name}: ${message}` } });
  const found = identities.find((i) => i.identityId === id);
  if (!found) {
    const seen = identities.slice(0, 5).map((i) => valueText(i.identityId)).join(', ');
    return fail(identities.length === 0
      ? 'no identity in scope: no SignIn or UserInfo with an identifier (userId or email) was recorded'
      : `not in scope (compared as ${valueText(id)}); identities seen: ${seen}${identities.length > 5 ? ` and ${identities.length - 5} more` : ''}`);
  }
  if (x.visitScope !== undefined && found.visitScope !== x.visitScope) return fail(`its visitScope is ${found.visitScope}, not ${x.visitScope}`);
  if (x.visits !== undefined && found.visitIds.length !== x.visits) {
    const ids = found.visitIds.slice(0, 5).join(', ');
    return fail(`it was in ${found.visitIds.length} visits in scope${ids ? ` (${ids})` : ''}, not ${x.visits}`);
  }
  return { place, name, passed: true };
}

const FLAGS = [
  { flag: 'noRejected', kind: 'rejected', name: 'no rejected commands or events' },
  { flag: 'noUndelivered', kind: 'undelivered', name: 'no undelivered events' },
  { flag: 'noDuplicates', kind: 'duplicate', name: 'no duplicate events' },
] as const;

const problemText = (p: CaptureProblem) =>
  [p.eventName ?? 'an event', p.eventID, p.visitId ? `in visit ${p.visitId}` : '', p.reason ? `(${p.reason})` : ''].filter(Boolean).join(' ');

function captureResults(spec: Spec, captures: CaptureProblem[] | undefined, cover: CheckInput['capturesCover']): ExpectationResult[] {
  return FLAGS.filter(({ flag }) => spec[flag] === true).map(({ flag, kind, name }) => {
    if (captures === undefined || (cover !== undefined && !cover.includes(kind))) {
      const message = kind === 'undelivered'
        ? `${name}: not known to the companion: what was captured but never delivered is known to the extension that captured it (its capture log, in the popup)`
        : `${name}: not known for this scope: the companion records rejected and duplicate events per run; check a run (POST /lab/check with "run", or visitor-lab check --run)`;
      return { place: flag, name, passed: false, failure: { message } };
    }
    const found = captures.filter((p) => p.kind === kind);
    if (found.length === 0) return { place: flag, name, passed: true };
    const listed = found.slice(0, 5).map(problemText).join('; ');
    return { place: flag, name, passed: false, failure: { message: `${name}: ${found.length} ${kind}: ${listed}${found.length > 5 ? ` and ${found.length - 5} more` : ''}` } };
  });
}

/** Checks `spec` (from parseSpec) against `input`; `passed` says whether every expectation held. */
export function checkSpec(spec: Spec, input: CheckInput, scope: CheckScope = {}): CheckReport {
  const results = [
    ...visitResults(spec, input),
    ...(spec.identities ?? []).map((x, i) => identityResult(x, `identities[${i}]`, input.identities)),
    ...captureResults(spec, input.captures, input.capturesCover),
  ];
  const passed = results.filter((r) => r.passed).length;
  return {
    spec: spec.name ?? 'unnamed spec',
    passed: passed === results.length,
    scope: { ...(scope.run !== undefined ? { run: scope.run } : {}), ...(scope.visitId !== undefined ? { visitId: scope.visitId } : {}), visits: input.visits.length },
    results,
    summary: { passed, failed: results.length - passed },
  };
}
