export * from './contacts';
export * from './events';
export * from './intake';
export * from './problems';
export * from './resources';
export * from './visits';
export * from './identifiers';
export * from './ids';
