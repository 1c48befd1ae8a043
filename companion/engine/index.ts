export * from './apply';
export * from './state';
export { countsOf, type TableCounts } from './counts';
export * from './visitor-state';
export { pageIdOf, rebuildUnpaged } from './pages';
export { buildContactIndex, contactOrder, findContact } from './contacts';
export { userAgentIdOf, type VisitSeed } from './visits';
export { forgetVisits, type Forgotten } from './forget';
export { runOf, runScope, runsNewestFirst, undeliveredOf, type RunOperation, type RunRecord } from './runs';
