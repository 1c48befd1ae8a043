// Bundles the companion into one ES module for `npm start`: starting from one plain JS file
// skips tsx's TypeScript loading and module resolution, about half a second of every start-up.
import { build } from 'esbuild';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const COMPANION_BUNDLE = path.join(ROOT, '.output/companion/cli.mjs');

export async function buildCompanion(): Promise<string> {
  await build({
    entryPoints: [path.join(ROOT, 'companion/cli.ts')],
    outfile: COMPANION_BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Dependencies are bundled too: resolving and loading express's ~60 files one by one
    // took another 150 ms of start-up.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  return COMPANION_BUNDLE;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.join(ROOT, 'companion/build.ts')) {
  await buildCompanion();
}
