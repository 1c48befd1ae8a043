// Build-time switches. companion/build.ts defines __GPE_STANDALONE__ for GPE.min.js, which must
// stay under 4 KB gzipped and shows no capture log: the log's texts (which documented form a
// command matched, warnings) are left out of it. The extension's tracker has no size limit.
declare const __GPE_STANDALONE__: boolean | undefined;

/** True in the extension's tracker; false (and folded away) in GPE.min.js. */
export const LOGGED: boolean = typeof __GPE_STANDALONE__ === 'undefined';
