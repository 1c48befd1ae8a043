// Issue 13's figures. The PostgreSQL store: intake events/s filling BENCH_PG_EVENTS (default
// 1,000,000) events, History p99 for a visit with its events once they are stored, and two
// companions on the database against one (the same intake split over both). The embedded store
// with --max-events: resident memory under a sustained intake of BENCH_RETAIN_EVENTS (default
// 1,000,000) events, by tenths (flat: retention forgets as fast as intake stores).
// Needs the PostgreSQL server the tests use (test/helpers/postgres.ts).
// `node --import tsx test/bench/postgres.ts` runs it alone.
import pg from 'pg';
import { buildCompanion } from '../../companion/build';
import { removeDir, tempDir } from '../helpers/companion';
import { createTestDatabase, dropTestDatabase } from '../helpers/postgres';
import { EVENTS_PER_VISIT, postVisits, visitId } from './fixtures';
import { latencyOf, pairedHistoryLatency, type Latency } from './measure';
import { startBundle, type Running } from './proc';

const log = (m: string) => console.error(`  [postgres] ${m}`);

export interface PostgresFigures {
  events: number;
  /** Filling the database from 4 clients, 10 visits (1,000 events) a request: events/s by tenths. */
  fillRateByTenth: number[];
  fillRate: number;
  /** GET a visit with its 100 events, once `events` are stored. */
  visitWithEvents: Latency;
  /** The same intake (visits of 100 events, 8 clients) through one companion, then split over two. */
  oneCompanion: number;
  twoCompanions: number;
  ratio: number;
}

export interface RetentionFigures {
  maxEvents: number;
  events: number;
  /** The median of the companion's resident memory, sampled every 250 ms, in each tenth of the intake, MB. */
  rssMBByTenth: number[];
  /**
   * The median RSS of the last two tenths / of tenths 5 and 6. The store holds its bound from
   * the first tenth on, but V8's heap takes about half the run to grow to its working size
   * (measured: 260, 330, 330, 430 MB over tenths 2-5, then 390-500); past that a leak would
   * show as growth. RSS swings ±30% with the garbage collector's cycles: medians of many samples.
   */
  ratio: number;
  stored: number;
}

/** Events/s of posting visits [from, to) over the companions given, 8 clients split between them. */
async function rate(urls: string[], from: number, to: number): Promise<number> {
  const per = Math.ceil((to - from) / urls.length);
  const t0 = performance.now();
  const parts = await Promise.all(
    urls.map((url, i) => postVisits(url, from + i * per, Math.min(to, from + (i + 1) * per), { visitsPerRequest: 1, concurrency: 8 / urls.length })),
  );
  const events = parts.reduce((n, p) => n + p.events, 0);
  return events / ((performance.now() - t0) / 1000);
}

export async function postgresBench(events = Number(process.env.BENCH_PG_EVENTS ?? 1_000_000)): Promise<PostgresFigures> {
  const database = await createTestDatabase();
  const dirs = [tempDir('vl-pg-'), tempDir('vl-pg-')];
  const running: Running[] = [];
  try {
    running.push(await startBundle(dirs[0], ['--store', database]));
    const visits = Math.round(events / EVENTS_PER_VISIT);
    const fillRateByTenth: number[] = [];
    let filledMs = 0;
    for (let t = 0; t < 10; t++) {
      const part = await postVisits(running[0].url, Math.round((visits * t) / 10), Math.round((visits * (t + 1)) / 10), { visitsPerRequest: 10, concurrency: 4 });
      fillRateByTenth.push(part.events / (part.ms / 1000));
      filledMs += part.ms;
      log(`filled ${t + 1}/10 (${Math.round(fillRateByTenth[t])} events/s)`);
    }
    // What autovacuum does after a bulk load, done now: the reads are measured in the steady
    // state, not while the database's maintenance of a million fresh rows shares the 2 cores.
    const admin = new pg.Client({ connectionString: database });
    await admin.connect();
    await admin.query('VACUUM (ANALYZE)');
    await admin.end();
    const paths = Array.from({ length: 50 }, (_, i) => `/server/data/visits/${visitId((i * 7919) % visits)}?include_events_detail=true`);
    const [visitWithEvents] = await pairedHistoryLatency([{ url: running[0].url, paths }], 1000);
    log(`visit with its events: p50 ${visitWithEvents.p50.toFixed(2)} ms, p99 ${visitWithEvents.p99.toFixed(2)} ms`);
    // One companion, then two on the same database, taking turns (noise on both), 300 visits a round.
    running.push(await startBundle(dirs[1], ['--store', database]));
    const one: number[] = [];
    const two: number[] = [];
    let next = visits;
    for (let round = 0; round < 4; round++) {
      one.push(await rate([running[0].url], next, next + 300));
      two.push(await rate([running[0].url, running[1].url], next + 300, next + 600));
      next += 600;
    }
    const median = (xs: number[]) => latencyOf(xs).p50;
    const figures = {
      events: visits * EVENTS_PER_VISIT,
      fillRateByTenth,
      fillRate: (visits * EVENTS_PER_VISIT) / (filledMs / 1000),
      visitWithEvents,
      oneCompanion: median(one),
      twoCompanions: median(two),
      ratio: median(two) / median(one),
    };
    log(`one companion ${Math.round(figures.oneCompanion)} events/s, two ${Math.round(figures.twoCompanions)}`);
    return figures;
  } finally {
    for (const r of running) await r.stop();
    dirs.forEach(removeDir);
    await dropTestDatabase(database);
  }
}

export async function retentionBench(events = Number(process.env.BENCH_RETAIN_EVENTS ?? 1_000_000), maxEvents = 100_000): Promise<RetentionFigures> {
  const dir = tempDir('vl-retain-');
  const c = await startBundle(dir, ['--max-events', String(maxEvents)]);
  try {
    const visits = Math.round(events / EVENTS_PER_VISIT);
    const samples: number[][] = [];
    const median = (xs: number[]) => latencyOf(xs).p50;
    for (let t = 0; t < 10; t++) {
      const tenth: number[] = [];
      const sampler = setInterval(() => tenth.push(c.rssMB()), 250);
      await postVisits(c.url, Math.round((visits * t) / 10), Math.round((visits * (t + 1)) / 10), { visitsPerRequest: 10, concurrency: 4 });
      clearInterval(sampler);
      tenth.push(c.rssMB());
      samples.push(tenth);
      log(`retention ${t + 1}/10: median ${median(tenth).toFixed(0)} MB (${tenth.length} samples)`);
    }
    const health = (await (await fetch(`${c.url}/lab/health`)).json()) as { counts: { events: number } };
    const ratio = median(samples.slice(8).flat()) / median(samples.slice(4, 6).flat());
    return { maxEvents, events: visits * EVENTS_PER_VISIT, rssMBByTenth: samples.map(median), ratio, stored: health.counts.events };
  } finally {
    await c.stop();
    removeDir(dir);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildCompanion();
  console.log(JSON.stringify(await postgresBench(), null, 2));
  console.log(JSON.stringify(await retentionBench(), null, 2));
}
