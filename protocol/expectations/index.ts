// Expectations (issue 11): the spec format, its parser and the pure checker.
export * from './types';
export { parseSpec, parseSpecText, stepKind, EVENT_FIELDS, SPEC_LIMITS, VISITOR_STATES, VISIT_SCOPES } from './parse';
export { checkSpec, type CheckScope } from './check';
export { stepText, valueText } from './describe';
