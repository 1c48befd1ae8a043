// The built companion as its own process, as `npm start` runs it, with what the benchmarks
// read of it from /proc: CPU time and resident memory. Its own spawner rather than
// test/helpers' spawnCompanion: a start-up on a million events may take longer than the
// tests' 15 s, and the benchmarks time it.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { COMPANION_BUNDLE } from '../../companion/build';
import { ROOT } from '../helpers/companion';

export interface Running {
  url: string;
  child: ChildProcess;
  /** From spawn to "listening on", in ms. */
  startMs: number;
  /** What the CLI printed, stdout and stderr. */
  output: () => string;
  /** CPU time (user + system, all threads) the process has used so far, in ms; NaN without /proc. */
  cpuMs: () => number;
  /** Resident memory now, in MB. */
  rssMB: () => number;
  /** Sends the signal and waits for the exit. */
  stop: (signal?: NodeJS.Signals) => Promise<void>;
}

/**
 * CPU time of every thread of the process, in ms: /proc/PID/task/TID/schedstat counts
 * nanoseconds (a round of a few thousand events is measurable), where /proc/PID/stat counts
 * 10 ms ticks. Threads that have ended are not counted: Node's (main, V8's and libuv's
 * helpers) live as long as the process. NaN without /proc.
 */
export function cpuMsOf(pid: number): number {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return Number.NaN;
  }
  let ns = 0;
  for (const tid of tids) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // a thread that ended between the listing and the read
    }
  }
  return ns / 1e6;
}

export function rssMBOf(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
  } catch {
    return Number.NaN;
  }
}

/**
 * Spawns the built CLI on `dataDir` (`--quiet`: no line per request) and waits until it
 * listens. BENCH_CPU_PROF=DIR runs it under `node --cpu-prof`: a profile lands in DIR when it
 * stops by SIGTERM (not SIGKILL). BENCH_NODE_ARGS adds node flags (`--trace-gc`, heap sizes).
 */
export async function startBundle(dataDir: string, args: string[] = [], timeoutMs = 600_000): Promise<Running> {
  const t0 = performance.now();
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(process.env.BENCH_CPU_PROF)] : [];
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...prof, ...nodeArgs, COMPANION_BUNDLE, '--port', '0', '--data', dataDir, '--quiet', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`companion did not start in ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const check = () => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) (clearTimeout(timer), resolve(m[1]));
    };
    child.stdout!.on('data', check);
    void exited.then(() => (clearTimeout(timer), reject(new Error(`companion exited before listening:\n${out}`))));
  });
  const startMs = performance.now() - t0;
  const pid = child.pid!;
  return {
    url,
    child,
    startMs,
    output: () => out,
    cpuMs: () => cpuMsOf(pid),
    rssMB: () => rssMBOf(pid),
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** The companion's counts (GET /lab/health). */
export async function counts(url: string): Promise<{ events: number; visits: number; identities: number }> {
  const res = await fetch(`${url}/lab/health`);
  if (res.status !== 200) throw new Error(`/lab/health: ${res.status}`);
  return ((await res.json()) as { counts: { events: number; visits: number; identities: number } }).counts;
}
