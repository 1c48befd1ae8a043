// Intake throughput: the companion (durable before acknowledging) against a bare Express
// server answering the same requests, both in their own process, driven by the same client.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { buildCompanion, COMPANION_BUNDLE } from '../../companion/build';
import { removeDir, ROOT, tempDir } from '../helpers/companion';

interface Server {
  url: string;
  /** CPU time (user + system) the server's process has used so far, in ms; NaN without /proc. */
  cpuMs: () => number;
  stop: () => Promise<void>;
}

/** From /proc/PID/stat (Linux): utime and stime, in clock ticks of 10 ms. */
function cpuMsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

async function startServer(args: string[]): Promise<Server> {
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const url = await new Promise<string>((resolve) =>
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    }),
  );
  return {
    url,
    cpuMs: () => cpuMsOf(child.pid!),
    stop: () => new Promise((r) => (child.once('exit', () => r()), child.kill('SIGTERM'))),
  };
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

interface Rate {
  /** Events acknowledged per second. */
  rate: number;
  /** The server's CPU time per event (µs): what the server costs, whatever else the machine runs. */
  cpuUs: number;
  events: number;
}

/** Events per second over `ms`, with `concurrency` clients posting batches of `size` back to back. */
async function rate(server: Server, size: number, ms: number, concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8)): Promise<Rate> {
  let events = 0;
  const end = performance.now() + ms;
  const worker = async () => {
    while (performance.now() < end) {
      const res = await fetch(`${server.url}/server/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: batch(size) });
      if (res.status !== 200) throw new Error(`status ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
      events += size;
    }
  };
  const cpu0 = server.cpuMs();
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - start) / 1000;
  return { rate: events / seconds, cpuUs: ((server.cpuMs() - cpu0) * 1000) / events, events };
}

export interface IntakeRow {
  size: number;
  /** Events per second. */
  bare: number;
  companion: number;
  ratio: number;
  /** CPU time per event in each server's process (µs), over both measured rounds. */
  bareCpuUs: number;
  companionCpuUs: number;
}

const mean = (a: Rate, b: Rate) => (a.rate + b.rate) / 2;
const cpuOf = (a: Rate, b: Rate) => Number(((a.cpuUs * a.events + b.cpuUs * b.events) / (a.events + b.events)).toFixed(1));

/**
 * Batches of 1, 10 and 100 (BENCH_SIZES=100 for one of them). BENCH_CPU_PROF=DIR runs the
 * companion under `node --cpu-prof` and writes its profile into DIR when it stops.
 */
export async function intakeBench(ms = 3000, sizes = (process.env.BENCH_SIZES ?? '1,10,100').split(',').map(Number)): Promise<IntakeRow[]> {
  await buildCompanion();
  const dataDir = tempDir();
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(process.env.BENCH_CPU_PROF)] : [];
  const bare = await startServer(['--import', 'tsx', path.join(ROOT, 'test/bench/bare-server.ts')]);
  const companion = await startServer([...prof, COMPANION_BUNDLE, '--port', '0', '--data', dataDir, '--quiet']);
  const rows: IntakeRow[] = [];
  try {
    for (const size of sizes) {
      await rate(bare, size, 500); // warm-up
      await rate(companion, size, 500);
      // Alternate to spread machine noise over both.
      const b1 = await rate(bare, size, ms / 2);
      const c1 = await rate(companion, size, ms / 2);
      const b2 = await rate(bare, size, ms / 2);
      const c2 = await rate(companion, size, ms / 2);
      const b = mean(b1, b2);
      const c = mean(c1, c2);
      rows.push({
        size, bare: Math.round(b), companion: Math.round(c), ratio: Number((c / b).toFixed(2)),
        bareCpuUs: cpuOf(b1, b2), companionCpuUs: cpuOf(c1, c2),
      });
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
