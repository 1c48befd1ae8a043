// Intake throughput: the companion (durable before acknowledging) against a bare Express
// server answering the same requests, both in their own process, driven by the same client.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { buildCompanion, COMPANION_BUNDLE } from '../../companion/build';
import { removeDir, ROOT, tempDir } from '../helpers/companion';

async function startServer(args: string[]): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const url = await new Promise<string>((resolve) =>
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    }),
  );
  return { url, stop: () => new Promise((r) => (child.once('exit', () => r()), child.kill('SIGTERM'))) };
}

let seq = 0;
function batch(size: number): string {
  const now = Date.now();
  const v = `iv${seq % 50}`;
  return JSON.stringify(
    Array.from({ length: size }, () => ({
      eventType: 'BUSINESS', eventName: 'AddToCart', eventID: `ie${++seq}`, pageID: 'p1', timestamp: now,
      globalVisitID: `g-${v}`, visitID: v, url: 'http://shop.test/cart', category: 'cart', data: { sku: 'sku-1', qty: 1 },
    })),
  );
}

/** Events per second over `ms`, with `concurrency` clients posting batches of `size` back to back. */
async function rate(url: string, size: number, ms: number, concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8)): Promise<number> {
  let events = 0;
  const end = performance.now() + ms;
  const worker = async () => {
    while (performance.now() < end) {
      const res = await fetch(`${url}/server/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: batch(size) });
      if (res.status !== 200) throw new Error(`status ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
      events += size;
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return events / ((performance.now() - start) / 1000);
}

export async function intakeBench(ms = 3000): Promise<{ size: number; bare: number; companion: number; ratio: number }[]> {
  await buildCompanion();
  const dataDir = tempDir();
  const bare = await startServer(['--import', 'tsx', path.join(ROOT, 'test/bench/bare-server.ts')]);
  const companion = await startServer([COMPANION_BUNDLE, '--port', '0', '--data', dataDir, '--quiet']);
  const rows = [];
  try {
    for (const size of [1, 10, 100]) {
      await rate(bare.url, size, 500); // warm-up
      await rate(companion.url, size, 500);
      // Alternate to spread machine noise over both.
      const b1 = await rate(bare.url, size, ms / 2);
      const c1 = await rate(companion.url, size, ms / 2);
      const b2 = await rate(bare.url, size, ms / 2);
      const c2 = await rate(companion.url, size, ms / 2);
      const b = (b1 + b2) / 2;
      const c = (c1 + c2) / 2;
      rows.push({ size, bare: Math.round(b), companion: Math.round(c), ratio: Number((c / b).toFixed(2)) });
    }
  } finally {
    await bare.stop();
    await companion.stop();
    removeDir(dataDir);
  }
  return rows;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.join(ROOT, 'test/bench/intake.ts')) {
  console.table(await intakeBench());
}
