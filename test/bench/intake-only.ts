// `node --import tsx test/bench/intake-only.ts`: the intake figures of `npm run bench` alone
// (seconds instead of minutes, no chromium), for working on intake's speed.
// BENCH_MS sets the measured time per batch size (default 3000: the same as `npm run bench`).
import { intakeBench } from './intake';

console.table(await intakeBench(Number(process.env.BENCH_MS ?? 3000)));
