// Builds what the e2e tests load: the extension for chromium (.output/chrome-mv3, as `npm run
// build` does) and for Firefox (.output/firefox-mv3, `npm run build:firefox`), and the companion
// bundle with its GPE.min.js.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { buildCompanion, ROOT } from '../../companion/build';
import { requireChromium } from '../../testing/chromium';

function wxtBuild(...args: string[]): void {
  const wxt = spawnSync(path.join(ROOT, 'node_modules/.bin/wxt'), ['build', ...args], { cwd: ROOT, encoding: 'utf8' });
  if (wxt.status !== 0) throw new Error(`wxt build ${args.join(' ')} failed:\n${wxt.stdout}\n${wxt.stderr}`);
}

/**
 * Runs `fn` holding a lock folder: two test runs started together (several people on one
 * working tree) would otherwise build into the same folders at once, and one build empties
 * what the other is reading. A lock older than two minutes was left by a killed run.
 */
async function withBuildLock(fn: () => Promise<void>): Promise<void> {
  const lock = path.join(ROOT, '.output', '.e2e-build.lock');
  mkdirSync(path.dirname(lock), { recursive: true });
  for (const deadline = Date.now() + 180_000; ; ) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 120_000) rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`${lock} is held by another test run`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** No browser, no e2e: said in one line (how to get one), before minutes of building. */
function checkChromium(): void {
  try {
    requireChromium();
  } catch (e) {
    const error = new Error((e as Error).message);
    error.stack = error.message; // the line is the whole story: no trace under it
    throw error;
  }
}

export default async function setup(): Promise<void> {
  checkChromium();
  await withBuildLock(async () => {
    await buildCompanion();
    wxtBuild();
    wxtBuild('-b', 'firefox');
  });
}
