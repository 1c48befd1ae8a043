// Export and import formats (JSON export, HAR 1.2, CSV). document, har and csv need nothing but
// protocol's types, so the extension bundles them without more; parse checks contacts with zod.
export * from './document';
export * from './har';
export * from './csv';
export * from './parse';
