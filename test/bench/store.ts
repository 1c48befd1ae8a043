// History API latency and companion start-up at 1,000 and 100,000 stored events.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { buildCompanion, COMPANION_BUNDLE } from '../../companion/build';
import { startCompanion } from '../../companion/companion';
import { removeDir, ROOT, tempDir } from '../helpers/companion';
import { EVENTS_PER_VISIT, fillDataDir } from './fixtures';

export interface Latency {
  p50: number;
  p99: number;
}

/** Spawns the built CLI and times it from spawn to "listening"; reads its RSS then. */
async function startup(dataDir: string): Promise<{ ms: number; rssMB: number }> {
  const t = performance.now();
  const child = spawn(process.execPath, [COMPANION_BUNDLE, '--port', '0', '--data', dataDir], { cwd: ROOT });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('listening')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`companion exited ${code}: ${out}`)));
  });
  const ms = performance.now() - t;
  const rssMB = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) / 1024;
  await new Promise((r) => (child.once('exit', r), child.kill('SIGKILL')));
  return { ms, rssMB };
}

async function latency(url: string, paths: string[], n: number): Promise<Latency> {
  // Warm-up: JIT, and each event's first read (events loaded from the snapshot are parsed then).
  for (let i = 0; i < 200; i++) await (await fetch(url + paths[i % paths.length])).arrayBuffer();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const res = await fetch(url + paths[i % paths.length]);
    if (res.status !== 200) throw new Error(`${paths[i % paths.length]}: ${res.status}`);
    await res.arrayBuffer();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(n * 0.5)], p99: times[Math.floor(n * 0.99)] };
}

export interface StoreFigures {
  events: number;
  startupMs: number;
  rssMB: number;
  visitWithEvents: Latency;
  identityVisits: Latency;
  eventsFilter: Latency;
}

export async function storeBench(visits: number, requests = 2000): Promise<StoreFigures> {
  await buildCompanion();
  const dataDir = tempDir();
  try {
    await fillDataDir(dataDir, visits);
    // The median of 5 starts: one start on a shared 2-core machine says little.
    const starts = [];
    for (let i = 0; i < 5; i++) starts.push(await startup(dataDir));
    starts.sort((a, b) => a.ms - b.ms);
    const s = starts[2];
    const c = await startCompanion({ port: 0, host: '127.0.0.1', dataDir, log: () => {} });
    try {
      const some = (f: (n: number) => string) => Array.from({ length: 20 }, (_, i) => f((i * 37) % visits));
      return {
        events: visits * EVENTS_PER_VISIT,
        startupMs: s.ms,
        rssMB: s.rssMB,
        visitWithEvents: await latency(c.url, some((n) => `/server/data/visits/bench-v${n}?include_events_detail=true`), requests),
        identityVisits: await latency(c.url, some((n) => `/server/data/identities/user${(n - (n % 2)) % 200}@shop.test/visits`), requests),
        eventsFilter: await latency(c.url, some((n) => `/server/data/visits/bench-v${n}/events?eventName=AddToCart&category=shop`), requests),
      };
    } finally {
      await c.close();
    }
  } finally {
    removeDir(dataDir);
  }
}
