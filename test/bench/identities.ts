// Issue 9: every new identity used to scan all contacts, so a batch of 1,000 new userIds took
// 60 times longer at 31,000 identities than at 1,000. Here BENCH_IDENTITIES (default 40,000)
// identities arrive as SignIns with new userIds, 1,000 a request (each in its own visit), one
// request after the other, into the built companion; each batch is timed.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildCompanion } from '../../companion/build';
import { removeDir, ROOT, tempDir } from '../helpers/companion';
import { post } from './fixtures';
import { counts, startBundle } from './proc';

export interface IdentityFigures {
  identities: number;
  /** Wall time of each batch of 1,000, ms. */
  batchMs: number[];
  /**
   * The median of the last 5 batches over the median of the first 5 after the first (which
   * runs on code not yet optimised): one batch is one descheduling away from noise.
   */
  ratio: number;
  /** Those two medians, ms. */
  lastMs: number;
  firstMs: number;
  /** The last batch over the first, as they came. */
  lastOverFirst: number;
  /** The companion's CPU time per SignIn over the whole run, µs. */
  cpuUs: number;
}

function signIns(batch: number, size: number, now: number) {
  return Array.from({ length: size }, (_, i) => {
    const k = batch * size + i;
    return {
      eventType: 'SYSTEM', eventName: 'SignIn', eventID: `id-e${k}`, pageID: 'p1', timestamp: now,
      globalVisitID: `id-g${k}`, visitID: `id-v${k}`, url: 'http://shop.test/login',
      data: { userId: `id-user-${k}`, email: `id-user-${k}@shop.test`, firstName: 'Bench', lastName: `N${k}` },
    };
  });
}

export async function identitiesBench(identities = Number(process.env.BENCH_IDENTITIES ?? 40_000), size = 1000): Promise<IdentityFigures> {
  await buildCompanion();
  const dir = tempDir('vl-identities-');
  const c = await startBundle(dir);
  try {
    const batchMs: number[] = [];
    const now = Date.now();
    const cpu0 = c.cpuMs();
    for (let b = 0; b * size < identities; b++) {
      const t = performance.now();
      await post(c.url, signIns(b, size, now));
      batchMs.push(performance.now() - t);
    }
    const cpuUs = ((c.cpuMs() - cpu0) * 1000) / identities;
    const stored = (await counts(c.url)).identities;
    if (stored !== identities) throw new Error(`expected ${identities} identities, the companion has ${stored}`);
    const median = (a: number[]) => a.slice().sort((x, y) => x - y)[Math.floor(a.length / 2)];
    return {
      identities,
      batchMs,
      ratio: median(batchMs.slice(-5)) / median(batchMs.slice(1, 6)),
      lastMs: median(batchMs.slice(-5)),
      firstMs: median(batchMs.slice(1, 6)),
      lastOverFirst: batchMs[batchMs.length - 1] / batchMs[0],
      cpuUs,
    };
  } finally {
    await c.stop('SIGKILL');
    removeDir(dir);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.join(ROOT, 'test/bench/identities.ts')) {
  const f = await identitiesBench();
  console.log({ ...f, batchMs: f.batchMs.map((x) => Math.round(x)).join(' ') });
}
