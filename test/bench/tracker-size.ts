// GPE.min.js as the companion serves it: esbuild-minified, then gzipped as a web server would.
import { gzipSync } from 'node:zlib';
import { buildTracker } from '../../companion/build';

export async function trackerSize(): Promise<{ minBytes: number; gzipBytes: number }> {
  const code = await buildTracker();
  return { minBytes: Buffer.byteLength(code), gzipBytes: gzipSync(code, { level: 9 }).length };
}
