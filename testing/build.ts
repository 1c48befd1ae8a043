// Builds visitor-lab/testing for the package: one ES module (esbuild; node built-ins only) and
// its declarations (tsc), so a project that installs the package imports it typed.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
export const TESTING_ENTRY = path.join(ROOT, 'testing/index.ts');

export async function buildTesting(outDir: string): Promise<void> {
  await mkdir(outDir, { recursive: true });
  await build({
    entryPoints: [TESTING_ENTRY],
    outfile: path.join(outDir, 'index.mjs'),
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
  });
  await declarations(outDir);
}

/** tsc's declarations under outDir/types, imports made ESM-resolvable, and outDir/index.d.ts. */
async function declarations(outDir: string): Promise<void> {
  const types = path.join(outDir, 'types');
  await rm(types, { recursive: true, force: true });
  const tsc = spawnSync(
    process.execPath,
    [
      path.join(ROOT, 'node_modules/typescript/bin/tsc'),
      TESTING_ENTRY,
      ...['--declaration', '--emitDeclarationOnly', '--outDir', types, '--rootDir', ROOT],
      ...['--target', 'ES2022', '--module', 'ESNext', '--moduleResolution', 'bundler', '--strict', '--skipLibCheck'],
      ...['--types', 'node', '--lib', 'ES2023,DOM', '--isolatedModules', '--verbatimModuleSyntax', '--ignoreConfig'],
    ],
    { cwd: ROOT, encoding: 'utf8' },
  );
  if (tsc.status !== 0) throw new Error(`tsc (declarations of visitor-lab/testing) failed:\n${tsc.stdout}${tsc.stderr}`);
  for (const file of await dtsFiles(types)) {
    const text = await readFile(file, 'utf8');
    // A consumer on moduleResolution node16/nodenext needs the extension: `./x` becomes
    // `./x.js` (which finds x.d.ts), a folder `./x/index.js`.
    const fixed = text.replace(/(from\s+|import\()(['"])(\.{1,2}\/[^'"]*)\2/g, (_m, lead: string, q: string, spec: string) => {
      if (/\.(js|mjs)$/.test(spec)) return `${lead}${q}${spec}${q}`;
      const base = path.resolve(path.dirname(file), spec);
      const target = existsSync(`${base}.d.ts`) ? `${spec}.js` : `${spec}/index.js`;
      return `${lead}${q}${target}${q}`;
    });
    // zod is not installed with the package (the companion's bundle carries it): the one type
    // a declaration names of it (problems.ts's ZodError parameter) stands alone.
    const own = fixed.replace(/^import type \{ z \} from 'zod';$/m, 'declare namespace z {\n    type ZodError = Error;\n}');
    if (/^import .* from '(?!node:|\.)/m.test(own)) throw new Error(`${file} imports a package a consumer may not have`);
    if (own !== text) await writeFile(file, own);
  }
  await writeFile(path.join(outDir, 'index.d.ts'), "export * from './types/testing/index.js';\n");
}

async function dtsFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await dtsFiles(p)));
    else if (e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

// `node --import tsx testing/build.ts [outDir]`: default .output/testing.
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  await buildTesting(process.argv[2] ?? path.join(ROOT, '.output/testing'));
}
