// Where the built companion and extension are: beside this module once packaged
// (.output/testing/index.mjs next to .output/companion and .output/chrome-mv3), or under the
// repository's .output when run from its source (testing/index.ts).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

function firstExisting(what: string, candidates: string[], hint: string): string {
  const paths = candidates.map((c) => fileURLToPath(new URL(c, import.meta.url)));
  const found = paths.find((p) => existsSync(p));
  if (!found) throw new Error(`${what} is not built: looked at ${paths.join(' and ')}. ${hint}`);
  return found;
}

export const companionBundle = (): string =>
  firstExisting('The companion', ['../companion/cli.mjs', '../.output/companion/cli.mjs'], 'Run `npm run build` in visitor-lab (or reinstall the package).');

export const builtExtension = (): string =>
  firstExisting('The extension', ['../chrome-mv3/manifest.json', '../.output/chrome-mv3/manifest.json'], 'Run `npm run build` in visitor-lab (or reinstall the package).').replace(
    /[\\/]manifest\.json$/,
    '',
  );
