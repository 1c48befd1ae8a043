// The event check is bundled into the extension's worker: it must stay small and free of
// Node APIs and of zod (which it once pulled in: ~460 KB of the worker's code).
import { build } from 'esbuild';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../..');

describe('protocol/events.ts as the extension bundles it', () => {
  it('needs nothing outside protocol/, runs in a browser, and stays under 8 KB minified', async () => {
    const out = await build({
      absWorkingDir: ROOT,
      entryPoints: ['protocol/events.ts'],
      bundle: true,
      minify: true,
      format: 'esm',
      // A Node built-in (node:fs, …) does not resolve for the browser: the build fails.
      platform: 'browser',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(out.metafile.inputs);
    expect(inputs.filter((f) => !f.startsWith('protocol/'))).toEqual([]);
    expect(out.outputFiles[0].contents.length).toBeLessThan(8 * 1024);
  });
});
