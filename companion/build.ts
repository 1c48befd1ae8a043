// Bundles the companion into one ES module for `npm start`: starting from one plain JS file
// skips tsx's TypeScript loading and module resolution, about half a second of every start-up.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isChunkName, type WebAppAssets } from './server/web-app';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const COMPANION_BUNDLE = path.join(ROOT, '.output/companion/cli.mjs');
/** The companion's web app (companion/web/), beside the CLI bundle and also embedded in it. */
export const WEB_APP_DIR = path.join(ROOT, '.output/companion/app');
/** The standalone tracker the companion serves at /server/resources/js/build/GPE.min.js. */
export const TRACKER_BUNDLE = path.join(ROOT, '.output/tracker/GPE.min.js');

/** Builds GPE.min.js (minified, no dependencies) and returns its code. */
export async function buildTracker(): Promise<string> {
  const out = await build({
    entryPoints: [path.join(ROOT, 'extension/tracker/standalone.ts')],
    outfile: TRACKER_BUNDLE,
    bundle: true,
    minify: true,
    format: 'iife',
    // Browsers from 2020 on (optional chaining kept as is: ~50 bytes less).
    target: 'es2020',
    platform: 'browser',
    // The capture log's texts are left out of GPE.min.js (extension/tracker/build-flags.ts).
    define: { __GPE_STANDALONE__: 'true' },
    write: false,
    logLevel: 'warning',
  });
  const code = out.outputFiles[0].text;
  await writeWhole(TRACKER_BUNDLE, code);
  return code;
}

/**
 * Written to a temp file and renamed: a test run starting the CLI while another run rebuilds
 * it must find the old bundle or the new one, never half of one.
 */
async function writeWhole(file: string, contents: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, contents);
  await rename(tmp, file);
}

/**
 * Builds the web app: its JS (Preact and the app, minified; the pages loaded on demand in
 * chunks of their own, `chunk-HASH.js`) and one CSS file (the app's and the timeline's), as its
 * Content-Security-Policy allows no inline script or style.
 */
export async function buildWebApp(): Promise<WebAppAssets> {
  const out = await build({
    entryPoints: { app: path.join(ROOT, 'companion/web/main.tsx') },
    outdir: WEB_APP_DIR,
    bundle: true,
    minify: true,
    splitting: true,
    chunkNames: 'chunk-[hash]',
    format: 'esm',
    target: 'es2020',
    platform: 'browser',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    write: false,
    logLevel: 'warning',
  });
  const text = (name: string) => out.outputFiles.find((f) => path.basename(f.path) === name)?.text ?? '';
  const chunks: Record<string, string> = {};
  for (const f of out.outputFiles) if (isChunkName(path.basename(f.path))) chunks[path.basename(f.path)] = f.text;
  const assets = { js: text('app.js'), css: text('app.css'), chunks };
  // Chunks of an earlier build go: a stale one would be served beside the new app.
  for (const old of await readdir(WEB_APP_DIR).catch(() => [] as string[])) if (isChunkName(old) && !(old in chunks)) await rm(path.join(WEB_APP_DIR, old), { force: true });
  for (const [name, body] of Object.entries({ 'app.js': assets.js, 'app.css': assets.css, ...chunks })) await writeWhole(path.join(WEB_APP_DIR, name), body);
  return assets;
}

export async function buildCompanion(): Promise<string> {
  const tracker = await buildTracker();
  const webApp = await buildWebApp();
  const out = await build({
    entryPoints: [path.join(ROOT, 'companion/cli.ts')],
    outfile: COMPANION_BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Dependencies are bundled too: resolving and loading express's ~60 files one by one
    // took another 150 ms of start-up.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    // The CLI serves the tracker from memory: one file to run, nothing to find at run time.
    // The web app too, so cli.mjs serves it from any folder.
    define: { __GPE_TRACKER__: JSON.stringify(tracker), __WEB_APP__: JSON.stringify(webApp) },
    sourcemap: 'linked',
    write: false,
    logLevel: 'warning',
  });
  for (const file of out.outputFiles) await writeWhole(file.path, file.contents);
  return COMPANION_BUNDLE;
}

/** Where `visitor-lab/testing` is built (package.json's exports point there). */
export const TESTING_DIR = path.join(ROOT, '.output/testing');

/**
 * Builds the helper library `visitor-lab/testing` (index.mjs and index.d.ts) with its own
 * build (testing/build.ts), when the repository has one; false when it has none.
 */
export async function buildTestingLibrary(): Promise<boolean> {
  const builder = path.join(ROOT, 'testing/build.ts');
  if (!existsSync(builder)) return false;
  const { buildTesting } = (await import(pathToFileURL(builder).href)) as { buildTesting: (outDir: string) => Promise<void> };
  await buildTesting(TESTING_DIR);
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.join(ROOT, 'companion/build.ts')) {
  await buildCompanion();
  await buildTestingLibrary();
}
