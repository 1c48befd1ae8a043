// Builds what the e2e tests load: the extension for chromium (.output/chrome-mv3, as `npm run
// build` does) and for Firefox (.output/firefox-mv3, `npm run build:firefox`), and the companion
// bundle with its GPE.min.js.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { buildCompanion, ROOT } from '../../companion/build';

function wxtBuild(...args: string[]): void {
  const wxt = spawnSync(path.join(ROOT, 'node_modules/.bin/wxt'), ['build', ...args], { cwd: ROOT, encoding: 'utf8' });
  if (wxt.status !== 0) throw new Error(`wxt build ${args.join(' ')} failed:\n${wxt.stdout}\n${wxt.stderr}`);
}

export default async function setup(): Promise<void> {
  await buildCompanion();
  wxtBuild();
  wxtBuild('-b', 'firefox');
}
