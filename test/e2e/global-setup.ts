// Builds what the e2e tests load: the extension (.output/chrome-mv3, as `npm run build` does)
// and the companion bundle with its GPE.min.js.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { buildCompanion, ROOT } from '../../companion/build';

export default async function setup(): Promise<void> {
  await buildCompanion();
  const wxt = spawnSync(path.join(ROOT, 'node_modules/.bin/wxt'), ['build'], { cwd: ROOT, encoding: 'utf8' });
  if (wxt.status !== 0) throw new Error(`wxt build failed:\n${wxt.stdout}\n${wxt.stderr}`);
}
