// The check's schemas (protocol/expectations/types.ts): POST /lab/check's body (a spec and its
// scope) and the report it answers. The spec's limits and event fields are the parser's own
// (protocol/expectations/parse.ts), which stays the judge: a spec it refuses is a 400 naming
// the place (`spec.visits[0].steps[2].url.re`).
import type { CheckScope } from '../../../protocol/expectations/check';
import { EVENT_FIELDS, SPEC_LIMITS } from '../../../protocol/expectations/parse';
import type { CheckReport, CountStep, ExpectationResult, IdentityExpectation, Spec, StateStep, StepFailure, VisitExpectation } from '../../../protocol/expectations/types';
import { arrayOf, schemaRef as ref, type Schema } from './build';
import { bool, closed, fields, int, object, str, visitorState, visitScope } from './parts';

const text: Schema = { type: 'string', maxLength: SPEC_LIMITS.text };
const nonEmpty = (schema: Schema): Schema => ({ ...schema, minLength: 1 });

const regex = closed({ re: { ...text, description: 'a JavaScript regular expression, searched in the value (case-sensitive); one that repeats a repeating group is refused' } });

const valueMatcher: Schema = {
  description: 'exactly this value, or {re} for a string matching the expression',
  anyOf: [text, { type: 'number' }, { type: 'boolean' }, { type: 'null' }, ref('Regex')],
};
const eventName: Schema = { description: 'an eventName, or {re}', anyOf: [nonEmpty(text), ref('Regex')] };
const part: Schema = { description: 'a part of the value, or {re}', anyOf: [text, ref('Regex')] };

/** An event step: `event` and the parser's EVENT_FIELDS; url and title match a part. */
const eventStep = closed(
  {
    event: eventName,
    url: part,
    title: part,
    data: { type: 'object', description: 'the listed keys only, each value exactly or {re}; nested objects the same; arrays exactly' },
    ...Object.fromEntries(EVENT_FIELDS.map((f) => [f, f === 'visitorState' ? visitorState : ref('ValueMatcher')])),
  },
  ['url', 'title', 'data', ...EVENT_FIELDS],
  'the next event (after the previous event step\'s) with this name and these fields',
);
const stateStep = closed(fields<StateStep>({ state: visitorState }), [], 'the visitor state right after the previous event step');
const countStep = closed(fields<CountStep>({ count: int, event: eventName }), [], 'how many events of this name the visit has');

const visitExpectation = closed(
  fields<VisitExpectation>({ name: text, steps: { ...arrayOf(ref('Step')), minItems: 1, maxItems: SPEC_LIMITS.steps } }),
  ['name'],
  'steps met in order by one visit (each expectation by a different visit)',
);
const identityExpectation = closed(
  fields<IdentityExpectation>({ identityId: nonEmpty(text), visitScope, visits: { ...int, description: 'how many visits in scope it was in' } }),
  ['visitScope', 'visits'],
);

const spec = closed(
  fields<Spec>({
    name: text,
    visits: { ...arrayOf(ref('VisitExpectation')), maxItems: SPEC_LIMITS.visits },
    identities: { ...arrayOf(ref('IdentityExpectation')), maxItems: SPEC_LIMITS.identities },
    noRejected: { ...bool, description: 'no event rejected by intake' },
    noUndelivered: { ...bool, description: 'no captured event left undelivered (unknown to the companion: fails, saying so)' },
    noDuplicates: { ...bool, description: 'no event answered `duplicate`' },
  }),
  ['name', 'visits', 'identities', 'noRejected', 'noUndelivered', 'noDuplicates'],
  'What visits must show (docs/expectations.md). It must ask for something.',
);

const checkRequest = closed(
  fields<CheckScope & { spec: Spec; record?: boolean }>({
    spec: ref('Spec'),
    run: { ...nonEmpty(str), description: "check this run's visits and events only, and note the outcome on the run" },
    visitId: { ...nonEmpty(str), description: 'check this visit only (with run: its events of the run)' },
    record: { ...bool, description: 'false: a look, not noted on the run (the web app\'s live Check page); default true' },
  }),
  ['run', 'visitId', 'record'],
);

const stepFailure = object(
  fields<StepFailure>({
    place: { ...str, description: 'the unmet step: `visits[0].steps[3]`' },
    step: ref('Step'),
    message: str,
    closestVisitId: str,
    stepsMet: int,
    found: arrayOf(object({ eventName: str, url: str, visitorState, data: {} }, ['url', 'visitorState', 'data'])),
  }),
  ['closestVisitId'],
  'the first unmet step of the visit that came closest, and its events around it',
);

const result = object(
  fields<ExpectationResult>({
    place: { ...str, description: '`visits[0]`, `identities[1]`, `noRejected` ...' },
    name: str,
    passed: bool,
    visitId: { ...str, description: 'the visit that met it' },
    stepsMet: int,
    failure: { anyOf: [ref('StepFailure'), object({ message: str })] },
  }),
  ['visitId', 'stepsMet', 'failure'],
);

const report = object(
  fields<CheckReport>({
    spec: { ...str, description: "the spec's name" },
    passed: bool,
    scope: object({ run: str, visitId: str, visits: int }, ['run', 'visitId']),
    results: arrayOf(ref('ExpectationResult')),
    summary: object({ passed: int, failed: int }),
  }),
);

export function checkSchemas(): Record<string, Schema> {
  return {
    Regex: regex,
    ValueMatcher: valueMatcher,
    Step: { description: 'an event step, a state step or a count step', anyOf: [eventStep, stateStep, countStep] },
    VisitExpectation: visitExpectation,
    IdentityExpectation: identityExpectation,
    Spec: spec,
    CheckRequest: checkRequest,
    StepFailure: stepFailure,
    ExpectationResult: result,
    CheckReport: report,
  };
}
