#!/usr/bin/env node
// The package's `visitor-lab` command: the companion bundle (built by `npm run build`, shipped
// in the package), with its source maps on so a stack names the TypeScript it came from.
process.setSourceMapsEnabled(true);
await import('../.output/companion/cli.mjs');
