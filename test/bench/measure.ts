// What the scale benchmark measures on one running companion: intake cost, History latency,
// and the longest wait of a cheap request while intake (and a snapshot) run.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { postVisits } from './fixtures';
import type { Running } from './proc';

export interface Latency {
  p50: number;
  p99: number;
  max: number;
  n: number;
}

export function latencyOf(times: number[]): Latency {
  const s = times.slice().sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(s.length * q))] ?? Number.NaN;
  return { p50: at(0.5), p99: at(0.99), max: s[s.length - 1] ?? Number.NaN, n: s.length };
}

/**
 * History latencies of several companions at once, one request after the other over loopback
 * (200 warm-up requests each, then `n`, cycling through each side's paths), one request to each
 * side in turn (the order alternating): a moment when this shared machine is busy falls on every
 * side alike, so a ratio of their p99s compares the stores, not when each was measured.
 */
export async function pairedHistoryLatency(sides: { url: string; paths: string[] }[], n: number): Promise<Latency[]> {
  const get = async (url: string, p: string) => {
    const res = await fetch(url + p);
    if (res.status !== 200) throw new Error(`${p}: ${res.status} ${(await res.text()).slice(0, 200)}`);
    await res.arrayBuffer();
  };
  for (let i = 0; i < 200; i++) for (const s of sides) await get(s.url, s.paths[i % s.paths.length]);
  const times = sides.map(() => [] as number[]);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < sides.length; k++) {
      const j = i % 2 === 0 ? k : sides.length - 1 - k;
      const t = performance.now();
      await get(sides[j].url, sides[j].paths[i % sides[j].paths.length]);
      times[j].push(performance.now() - t);
    }
  }
  return times.map(latencyOf);
}

export interface IntakeRound {
  events: number;
  /** The companion's CPU time (all its threads) per event, µs. */
  cpuUs: number;
  /** Wall time per event with 8 clients posting a visit (100 events) a request, µs. */
  wallUs: number;
}

/** Posts visits [from, to) from 8 clients, one visit a request (batches of 100), and what it cost the companion. */
export async function intakeRound(c: Running, from: number, to: number): Promise<IntakeRound> {
  const cpu0 = c.cpuMs();
  const { events, ms } = await postVisits(c.url, from, to, { visitsPerRequest: 1, concurrency: 8 });
  return { events, cpuUs: ((c.cpuMs() - cpu0) * 1000) / events, wallUs: (ms * 1000) / events };
}

export interface Stall {
  /** One probe after the other with nothing else running: median of 50. */
  idleMs: number;
  /** Under intake, one probe after the other for the whole time. */
  underLoad: Latency;
  /** Events acknowledged meanwhile. */
  events: number;
  seconds: number;
  /** Whether a snapshot was written while it ran (visitor-lab.json replaced). */
  snapshot: boolean;
  /**
   * The longest wait of a probe that ended before the snapshot began (its journal segment
   * made), while it was being taken and written, and after: which one the longest wait is.
   */
  maxBy: { before: number; during: number; after: number };
  /** The next free visit number. */
  next: number;
}

const segments = (dataDir: string) => readdirSync(path.join(dataDir, 'journal')).length;

function snapshotStamp(dataDir: string): number {
  try {
    return statSync(path.join(dataDir, 'visitor-lab.json')).mtimeMs;
  } catch {
    return 0;
  }
}

async function timed(url: string): Promise<number> {
  const t = performance.now();
  const res = await fetch(url);
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
  return performance.now() - t;
}

/**
 * GETs `probePath` one request after the other while 8 clients post visits (from visit
 * `from` on), for at least `minMs`; with `untilSnapshot`, also until a snapshot has been
 * written (at most `maxMs` in all).
 */
export async function probeUnderIntake(
  c: Running,
  dataDir: string,
  from: number,
  probePath: string,
  { minMs = 5000, maxMs = 90_000, untilSnapshot = false } = {},
): Promise<Stall> {
  const url = c.url + probePath;
  const idle: number[] = [];
  for (let i = 0; i < 60; i++) idle.push(await timed(url));
  const stamp0 = snapshotStamp(dataDir);
  const t0 = performance.now();
  const snapshotDone = () => snapshotStamp(dataDir) !== stamp0;
  const done = () => {
    const elapsed = performance.now() - t0;
    return elapsed > maxMs || (elapsed > minMs && (!untilSnapshot || snapshotDone()));
  };
  const times: number[] = [];
  const maxBy = { before: 0, during: 0, after: 0 };
  const segments0 = segments(dataDir);
  const intake = postVisits(c.url, from, Number.MAX_SAFE_INTEGER, { visitsPerRequest: 1, concurrency: 8, stop: done });
  while (!done()) {
    // Where the probe began: a snapshot begins with a new journal segment, ends with the file replaced.
    const phase = snapshotDone() ? 'after' : segments(dataDir) !== segments0 ? 'during' : 'before';
    const ms = await timed(url);
    times.push(ms);
    maxBy[phase] = Math.max(maxBy[phase], ms);
  }
  const { events } = await intake;
  return {
    idleMs: latencyOf(idle.slice(10)).p50,
    underLoad: latencyOf(times),
    events,
    seconds: (performance.now() - t0) / 1000,
    snapshot: snapshotDone(),
    maxBy,
    next: from + events / 100,
  };
}
