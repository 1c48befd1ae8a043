// buildTesting: the module another project imports (one ESM file finding the companion beside
// it, as in the package's .output) and its declarations, which type-check a consumer on
// moduleResolution nodenext and refuse a wrong call.
import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPANION_BUNDLE } from '../../companion/build';
import { buildTesting } from '../../testing/build';
import { removeDir, ROOT, tempDir } from '../helpers/companion';

let out = '';
let project = '';

beforeAll(async () => {
  // Laid out as the package's .output: testing/ beside companion/.
  // One folder for the file's tests (tempDirs would empty it after the first).
  project = tempDir('vl-testing-build-');
  const output = path.join(project, 'node_modules/visitor-lab/.output');
  out = path.join(output, 'testing');
  await buildTesting(out);
  symlinkSync(path.dirname(COMPANION_BUNDLE), path.join(output, 'companion'));
  writeFileSync(
    path.join(project, 'node_modules/visitor-lab/package.json'),
    JSON.stringify({ name: 'visitor-lab', type: 'module', exports: { './testing': { types: './.output/testing/index.d.ts', import: './.output/testing/index.mjs' } } }),
  );
}, 60_000);
afterAll(() => project && removeDir(project));

describe('buildTesting', () => {
  it('bundles one module that starts the companion found beside it', async () => {
    const lib = (await import(pathToFileURL(path.join(out, 'index.mjs')).href)) as typeof import('../../testing/index');
    const companion = await lib.startCompanion();
    try {
      expect((await companion.health()).status).toBe('ok');
      expect(typeof lib.visitorLabMatchers.toHaveEvents).toBe('function');
    } finally {
      await companion.stop();
    }
  });

  it('writes declarations a consumer type-checks against, on nodenext resolution', () => {
    const src = path.join(project, 'src');
    mkdirSync(src);
    writeFileSync(
      path.join(src, 'good.ts'),
      `import { startCompanion, waitForEvents, type Spec, type VisitResource } from 'visitor-lab/testing';
const spec: Spec = { visits: [{ steps: [{ event: 'SignIn' }, { state: 'Authenticated' }] }] };
export async function use(): Promise<VisitResource | null> {
  const c = await startCompanion({ quiet: true, auth: 'a:b' });
  const run = await c.run('x');
  await waitForEvents(run, { eventName: 'SignIn' }, { timeout: 1000 });
  await c.check(spec, { run: run.runId });
  return c.history.visit('v', { events: true });
}
`,
    );
    writeFileSync(path.join(src, 'bad.ts'), `import { startCompanion } from 'visitor-lab/testing';\nexport const p = startCompanion({ port: 'eighty' });\n`);
    const tsc = (file: string) =>
      spawnSync(
        process.execPath,
        [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '--ignoreConfig', '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', '--typeRoots', path.join(ROOT, 'node_modules/@types'), file],
        { cwd: project, encoding: 'utf8' },
      );
    const good = tsc(path.join(src, 'good.ts'));
    expect(good.stdout + good.stderr).toBe('');
    expect(good.status).toBe(0);
    const bad = tsc(path.join(src, 'bad.ts'));
    expect(bad.stdout).toMatch(/bad\.ts.*error TS2322.*'string' is not assignable to type 'number'/);
  });
});
