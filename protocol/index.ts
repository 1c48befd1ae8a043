export * from './events';
export * from './intake';
export * from './resources';
