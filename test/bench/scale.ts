import { performance } from 'node:perf_hooks';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fillDataDir } from './fixtures';
import { ROOT, tempDir } from '../helpers/companion';
import { startCompanion } from '../../companion/companion';

async function startupMs(dataDir: string) {
  const t = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'companion/cli.ts'), '--port', '0', '--data', dataDir], { cwd: ROOT });
  let out = '';
  await new Promise<void>((r) => child.stdout.on('data', (d) => { out += d; if (out.includes('listening')) r(); }));
  const ms = performance.now() - t;
  const rss = Number((await import('node:fs')).readFileSync(`/proc/${child.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)![1]) / 1024;
  child.kill('SIGKILL'); await new Promise((r) => child.on('exit', r));
  return { ms, rss };
}
async function latency(url: string, paths: string[], n = 2000) {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const r = await fetch(url + paths[i % paths.length]);
    await r.arrayBuffer();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(n * 0.5)], p99: times[Math.floor(n * 0.99)] };
}
for (const visits of [10, 1000]) {
  const dir = tempDir();
  let t = performance.now();
  await fillDataDir(dir, visits);
  console.log(`fill ${visits * 100} events: ${(performance.now() - t).toFixed(0)} ms`);
  const s = await startupMs(dir);
  console.log(`startup (cli, ${visits * 100} events): ${s.ms.toFixed(0)} ms, rss ${s.rss.toFixed(0)} MB`);
  const c = await startCompanion({ port: 0, host: '127.0.0.1', dataDir: dir, log: () => {} });
  const paths = Array.from({ length: 10 }, (_, i) => `/server/data/visits/bench-v${(i * 7) % visits}?include_events_detail=true`);
  console.log('visit+events', await latency(c.url, paths));
  console.log('identity visits', await latency(c.url, [`/server/data/identities/user2@shop.test/visits`]));
  console.log('events filter', await latency(c.url, [`/server/data/visits/bench-v2/events?eventName=AddToCart&category=shop`]));
  await c.close();
}
