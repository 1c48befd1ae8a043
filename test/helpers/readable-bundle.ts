// The companion bundle where any user can read it. Tests that run the companion as another
// user (nobody, so that root's disregard of permissions does not hide a read-only data folder)
// cannot reach a repository cloned into a private folder such as /root/x: they run this copy,
// from the temp folder, instead. The bundle needs nothing beside it (companion/build.ts bundles
// every dependency, the tracker and the web app into it).
import { chmodSync, copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { COMPANION_BUNDLE } from '../../companion/build';

let copy: string | undefined;

/** A copy of the bundle (and its source map) readable by every user; made once per test file. */
export function readableBundle(): string {
  if (copy && existsSync(copy)) return copy;
  const dir = mkdtempSync(path.join(tmpdir(), 'vl-bundle-'));
  chmodSync(dir, 0o755);
  for (const name of ['cli.mjs', 'cli.mjs.map']) {
    const from = path.join(path.dirname(COMPANION_BUNDLE), name);
    if (!existsSync(from)) continue;
    copyFileSync(from, path.join(dir, name));
    chmodSync(path.join(dir, name), 0o644);
  }
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  copy = path.join(dir, 'cli.mjs');
  return copy;
}
