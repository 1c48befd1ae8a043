// `npm run screenshots`: the README's pictures of the three windows (the popup, the full view /
// DevTools panel, the companion's web app), taken by the e2e tests that drive them in chromium
// (each writes PNGs where VL_SCREENSHOTS says), so a picture is only ever of a passing journey.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const OUT = path.join(ROOT, 'docs', 'screenshots');
/** The ones the README shows. */
const KEEP = ['popup', 'panel', 'web-app-visits', 'web-app-visit', 'web-app-identity', 'popup-spec', 'web-app-check-half', 'web-app-check-passed', 'popup-run', 'web-app-runs', 'web-app-run'];

const shots = mkdtempSync(path.join(tmpdir(), 'vl-shots-'));
try {
  const run = spawnSync(
    process.execPath,
    [path.join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--project', 'e2e', 'test/e2e/panel.test.ts', 'test/e2e/web-app.test.ts', 'test/e2e/spec-popup.test.ts', 'test/e2e/spec-web-app.test.ts', 'test/e2e/runs-popup.test.ts'],
    { cwd: ROOT, stdio: 'inherit', env: { ...process.env, VL_SCREENSHOTS: shots } },
  );
  if (run.status !== 0) throw new Error('the e2e tests that take the screenshots failed: no picture was changed');
  mkdirSync(OUT, { recursive: true });
  const taken = new Set(readdirSync(shots));
  for (const name of KEEP) {
    if (!taken.has(`${name}.png`)) throw new Error(`no ${name}.png was taken`);
    copyFileSync(path.join(shots, `${name}.png`), path.join(OUT, `${name}.png`));
    console.log(`docs/screenshots/${name}.png`);
  }
} finally {
  rmSync(shots, { recursive: true, force: true });
}
