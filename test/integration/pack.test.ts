// The package as another project gets it: `npm pack` (its prepack builds everything) from a
// copy of this working tree, `npm install` of the tarball into a fresh project, then the
// `visitor-lab` command and `visitor-lab/testing` from that project only. Slow (a full build
// and an install, about half a minute): one test file, everything in one pass.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Spec } from '../../protocol/expectations/types';
import { api, removeDir, ROOT, tempDir, whenListening } from '../helpers/companion';
import { pageEntered, signIn, visitCtx, visitStarted } from '../helpers/events';
import { packTree, runOrThrow } from '../helpers/pack';

const VERSION = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version as string;
const work = tempDir('vl-pack-');
const project = path.join(work, 'consumer');
const bin = path.join(project, 'node_modules/.bin/visitor-lab');
let tarball = '';

const run = runOrThrow;

beforeAll(() => {
  tarball = packTree(work);
  mkdirSync(project);
  writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], project);
}, 300_000);
afterAll(() => removeDir(work));

/** `visitor-lab …` in the project, without blocking this process (the companion it talks to may be a child here). */
function visitorLab(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(bin, args, { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('the package installed in another project', () => {
  it('ships the command, the built companion and extension, and nothing it does not need', () => {
    const listing = run('tar', ['-tzf', tarball], work).stdout.split('\n').filter(Boolean);
    expect(listing).toContain('package/bin/visitor-lab.mjs');
    expect(listing).toContain('package/.output/companion/cli.mjs');
    expect(listing).toContain('package/.output/chrome-mv3/manifest.json');
    expect(listing.filter((f) => /\.ts$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]); // no sources
    expect(listing.some((f) => f.includes('/test/') || f.includes('node_modules'))).toBe(false);
    const manifest = JSON.parse(readFileSync(path.join(project, 'node_modules/visitor-lab/package.json'), 'utf8'));
    expect(manifest.dependencies ?? {}).toEqual({}); // the bundle carries what it needs
    expect(readdirSync(path.join(project, 'node_modules')).filter((d) => !d.startsWith('.'))).toEqual(['visitor-lab']);
  });

  it('npx visitor-lab --version', () => {
    expect(run('npx', ['--no-install', 'visitor-lab', '--version'], project).stdout).toBe(`${VERSION}\n`);
  });

  it('visitor-lab start answers, and check exits 0, 1 and 2 against it', async () => {
    const data = path.join(work, 'data');
    const child = spawn(bin, ['start', '--port', '0', '--data', data], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] });
    const listening = whenListening(child);
    try {
      const { url, output } = await listening;
      const http = api(url);
      expect((await http.get('/lab/health')).status).toBe(200);
      // The web app and the tracker are inside the bundle: served with nothing else shipped.
      expect((await http.get('/app/app.js')).status).toBe(200);
      expect((await http.get('/server/resources/js/build/GPE.min.js')).status).toBe(200);
      // It finds the extension shipped beside it.
      expect(output()).toContain(path.join('node_modules', 'visitor-lab', '.output', 'chrome-mv3'));

      const c = visitCtx('pack-v1');
      expect((await http.post('/server/events', [visitStarted(c), pageEntered(c, 'p1', 'http://shop.test/login'), signIn(c, { email: 'pat@shop.test' })])).body.accepted).toBe(3);
      const spec = (s: Spec | object, name: string) => {
        const file = path.join(project, name);
        writeFileSync(file, JSON.stringify(s));
        return name; // relative: read from the project's folder
      };
      const holds = spec({ name: 'signs in', visits: [{ steps: [{ event: 'SignIn' }, { state: 'Authenticated' }] }] }, 'holds.json');
      const fails = spec({ name: 'signs out', visits: [{ steps: [{ event: 'SignOut' }] }] }, 'fails.json');
      const wrong = spec({ visits: [{ steps: [{ state: 'Happy' }] }] }, 'wrong.json');
      const ok = await visitorLab(['check', holds, '--companion', url]);
      expect([ok.status, ok.stderr]).toEqual([0, '']);
      expect(ok.stdout).toContain('✓ passed  signs in');
      const no = await visitorLab(['check', fails, '--companion', url, '--reporter', 'junit']);
      expect(no.status).toBe(1);
      expect(no.stdout).toContain('<testsuite name="signs out"');
      const bad = await visitorLab(['check', wrong, '--companion', url]);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toContain('is wrong at visits[0].steps[0].state');
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  });

  it.runIf(existsSync(path.join(ROOT, 'testing/build.ts')))('import("visitor-lab/testing") resolves from the project, typed', () => {
    const r = run(process.execPath, ['--input-type=module', '-e', "const m = await import('visitor-lab/testing'); console.log(typeof m.startCompanion)"], project);
    expect(r.stdout.trim()).toBe('function');
    expect(existsSync(path.join(project, 'node_modules/visitor-lab/.output/testing/index.d.ts'))).toBe(true);
  });
});
