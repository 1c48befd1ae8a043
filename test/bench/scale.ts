// Issue 9's figures: the same companion with 1,000 and with BENCH_EVENTS (default 1,000,000)
// events stored, each filled over HTTP by the built CLI's intake, measured side by side:
// intake cost per event, History p99, a restart after SIGKILL under load, resident memory,
// and the longest wait of /lab/health while intake and a snapshot run.
// `node --import tsx test/bench/scale.ts` runs it alone (BENCH_EVENTS=100000 for a quick run).
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildCompanion } from '../../companion/build';
import { removeDir, ROOT, tempDir } from '../helpers/companion';
import { EVENTS_PER_VISIT, identityOf, postVisits, visitId, type Posted } from './fixtures';
import { pairedHistoryLatency, probeUnderIntake, intakeRound, type IntakeRound, type Latency, type Stall } from './measure';
import { counts, startBundle, type Running } from './proc';

const log = (m: string) => console.error(`  [scale] ${m}`);

export interface Restart {
  /** Events acknowledged before the SIGKILL (all of them, from the start). */
  acknowledged: number;
  /** Events the restarted companion holds: at least `acknowledged` (a request cut by the kill may be there too). */
  found: number;
  /** Spawn to "listening" after the SIGKILL, ms. */
  ms: number;
  /** Resident memory once started, MB. */
  rssMB: number;
}

export interface ScaleSide {
  /** Events stored when the measures began. */
  events: number;
  /** Filling it, in tenths: the CPU time per event of each tenth, µs. */
  fill: Posted & { cpuUsByTenth: number[] };
  intake: IntakeRound & { rounds: IntakeRound[] };
  history: Record<'visitWithEvents' | 'identityVisits' | 'eventsFilter', Latency>;
  restart: Restart;
  stall: { read: Stall; health: Stall };
  /** Spawn to "listening" after a clean stop (SIGTERM), ms, and the memory then. */
  cleanStartMs: number;
  cleanRssMB: number;
  /** The events it then holds (the longest-wait phases added some). */
  cleanEvents: number;
}

/** One companion's data folder, the running process, and the next free visit number. */
interface Side {
  dir: string;
  c: Running;
  next: number;
  acked: number;
  figures: Partial<ScaleSide>;
}

async function open(visits: number): Promise<Side> {
  const dir = tempDir('vl-scale-');
  const c = await startBundle(dir);
  log(`filling ${visits * EVENTS_PER_VISIT} events`);
  // 10 visits (1,000 events, the most one request may carry) a request, 4 clients: the
  // quickest way in found here (~1 min for a million on the 2-core VM).
  // In tenths, with the companion's CPU time for each: snapshots included, unlike the rounds.
  const fill = { events: 0, ms: 0, cpuUsByTenth: [] as number[] };
  for (let t = 0; t < 10; t++) {
    const cpu0 = c.cpuMs();
    const part = await postVisits(c.url, Math.round((visits * t) / 10), Math.round((visits * (t + 1)) / 10), { visitsPerRequest: 10, concurrency: 4 });
    fill.cpuUsByTenth.push(((c.cpuMs() - cpu0) * 1000) / Math.max(1, part.events));
    fill.events += part.events;
    fill.ms += part.ms;
  }
  log(`filled in ${(fill.ms / 1000).toFixed(1)} s; CPU µs an event by tenths: ${fill.cpuUsByTenth.map((x) => x.toFixed(1)).join(' ')}`);
  return { dir, c, next: visits, acked: fill.events, figures: { events: fill.events, fill } };
}

/** Intake rounds alternating between the two sides (machine noise spread over both). */
async function intake(sides: Side[], rounds: number, visitsPerRound: number): Promise<void> {
  const all = sides.map(() => [] as IntakeRound[]);
  // A round not counted: the small side has seen only its 1,000 events, so its code is not
  // optimised yet, and compiling it would count against the small side.
  for (const s of sides) {
    await intakeRound(s.c, s.next, s.next + visitsPerRound);
    s.next += visitsPerRound;
    s.acked += visitsPerRound * EVENTS_PER_VISIT;
  }
  for (let r = 0; r < rounds; r++) {
    for (const [i, s] of sides.entries()) {
      all[i].push(await intakeRound(s.c, s.next, s.next + visitsPerRound));
      s.next += visitsPerRound;
      s.acked += visitsPerRound * EVENTS_PER_VISIT;
    }
  }
  sides.forEach((s, i) => {
    const events = all[i].reduce((a, x) => a + x.events, 0);
    const sum = (k: 'cpuUs' | 'wallUs') => all[i].reduce((a, x) => a + x[k] * x.events, 0) / events;
    s.figures.intake = { events, cpuUs: sum('cpuUs'), wallUs: sum('wallUs'), rounds: all[i] };
  });
}

/** History p99 of three kinds of request, spread over the visits each side holds, one request to each side in turn. */
async function history(sides: Side[], requests: number): Promise<void> {
  const kinds = {
    visitWithEvents: (n: number) => `/server/data/visits/${visitId(n)}?include_events_detail=true`,
    identityVisits: (n: number) => `/server/data/identities/${encodeURIComponent(identityOf(n))}/visits`,
    eventsFilter: (n: number) => `/server/data/visits/${visitId(n)}/events?eventName=AddToCart&category=shop`,
  };
  for (const s of sides) s.figures.history = {} as ScaleSide['history'];
  for (const [kind, pathOf] of Object.entries(kinds) as [keyof typeof kinds, (n: number) => string][]) {
    const asked = sides.map((s) => {
      const visits = s.figures.fill!.events / EVENTS_PER_VISIT;
      return { url: s.c.url, paths: Array.from({ length: 50 }, (_, i) => pathOf((i * 7919) % visits)) };
    });
    const latencies = await pairedHistoryLatency(asked, requests);
    sides.forEach((s, i) => (s.figures.history![kind] = latencies[i]));
  }
}

/**
 * Kills the companion with SIGKILL once 2,000 events are acknowledged while 8 clients post
 * (requests are under way: the kill cuts some), and starts it again on its data, with a small
 * --snapshot-after so that the stall measure sees a snapshot.
 */
async function killAndRestart(s: Side): Promise<void> {
  let acked = 0;
  let killed = false;
  let failed = false;
  const load = postVisits(s.c.url, s.next, Number.MAX_SAFE_INTEGER, {
    visitsPerRequest: 1,
    concurrency: 8,
    stop: () => killed,
    onBatch: (n) => (acked += n),
  }).catch((e: Error) => {
    if (!killed) throw e; // not what the kill cut
  });
  void load.catch(() => (failed = true));
  while (acked < 2000 && !failed) await new Promise((r) => setTimeout(r, 5));
  killed = true;
  await s.c.stop('SIGKILL');
  await load;
  s.acked += acked;
  s.next += acked / EVENTS_PER_VISIT + 8; // past any visit a request cut by the kill may have stored
  s.c = await startBundle(s.dir, ['--snapshot-after', String(1 << 20)]);
  const found = (await counts(s.c.url)).events;
  s.figures.restart = { acknowledged: s.acked, found, ms: s.c.startMs, rssMB: s.c.rssMB() };
  log(`restart after SIGKILL: ${s.c.startMs.toFixed(0)} ms, ${found} events (${s.acked} acknowledged)`);
  s.acked = found;
}

/**
 * The longest wait of a cheap read (one visit, no events) under intake while a snapshot is
 * written, then of /lab/health under intake; then a clean stop and start.
 */
async function stallAndCleanRestart(s: Side): Promise<void> {
  const read = await probeUnderIntake(s.c, s.dir, s.next, `/server/data/visits/${visitId(1)}`, { untilSnapshot: true });
  const health = await probeUnderIntake(s.c, s.dir, read.next, '/lab/health');
  s.next = health.next;
  s.figures.stall = { read, health };
  const say = (x: Stall) => `max ${x.underLoad.max.toFixed(0)} ms (idle ${x.idleMs.toFixed(1)} ms)`;
  const by = Object.entries(read.maxBy).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ');
  log(`under intake: a visit ${say(read)}, snapshot written: ${read.snapshot} (longest ${by} it); /lab/health ${say(health)}`);
  await s.c.stop('SIGTERM');
  s.c = await startBundle(s.dir);
  s.figures.cleanStartMs = s.c.startMs;
  s.figures.cleanRssMB = s.c.rssMB();
  s.figures.cleanEvents = (await counts(s.c.url)).events;
}

export interface ScaleFigures {
  small: ScaleSide;
  large: ScaleSide;
  /** (RSS at large - RSS at small) / (events at large - at small), after a restart: bytes per stored event. */
  rssBytesPerEvent: number;
  seconds: number;
}

export async function scaleBench(
  largeEvents = Number(process.env.BENCH_EVENTS ?? 1_000_000),
  smallEvents = 1000,
  { rounds = 3, roundEvents = 5000, requests = 2000 } = {},
): Promise<ScaleFigures> {
  const t0 = performance.now();
  await buildCompanion();
  const sides: Side[] = [];
  try {
    sides.push(await open(Math.round(smallEvents / EVENTS_PER_VISIT)));
    sides.push(await open(Math.round(largeEvents / EVENTS_PER_VISIT)));
    // History first: the intake rounds grow the small side (to 21,000 events by default).
    log('History latency');
    await history(sides, requests);
    log('intake rounds');
    await intake(sides, rounds, roundEvents / EVENTS_PER_VISIT);
    for (const s of sides) await killAndRestart(s);
    for (const s of sides) await stallAndCleanRestart(s);
  } finally {
    for (const s of sides) {
      await s.c.stop('SIGKILL');
      removeDir(s.dir);
    }
  }
  const [small, large] = sides.map((s) => s.figures as ScaleSide);
  const mb = (f: ScaleSide) => f.restart.rssMB * 2 ** 20;
  return {
    small,
    large,
    rssBytesPerEvent: (mb(large) - mb(small)) / (large.restart.found - small.restart.found),
    seconds: (performance.now() - t0) / 1000,
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.join(ROOT, 'test/bench/scale.ts')) {
  console.log(JSON.stringify(await scaleBench(), null, 2));
}
