// `npm run bench`: the companion's figures beside their targets. Machine-dependent figures
// are ratios against a baseline measured in the same run; absolute ones are for information.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers/companion';
import { intakeBench } from './intake';
import { storeBench } from './store';

const ms = (n: number) => `${n.toFixed(2)} ms`;
const rows: { figure: string; value: string; target: string; ok: boolean }[] = [];

const intake = await intakeBench();
for (const r of intake) {
  rows.push({
    figure: `intake, batches of ${r.size}: companion/bare Express`,
    value: `${r.ratio} (${r.companion} vs ${r.bare} events/s)`,
    target: '>= 0.5',
    ok: r.ratio >= 0.5,
  });
}

const small = await storeBench(10);
const large = await storeBench(1000);
for (const key of ['visitWithEvents', 'identityVisits', 'eventsFilter'] as const) {
  rows.push({ figure: `${key} p99 at ${large.events} events`, value: ms(large[key].p99), target: '< 10 ms', ok: large[key].p99 < 10 });
  const ratio = large[key].p99 / small[key].p99;
  rows.push({
    figure: `${key} p99 ${large.events}/${small.events}`,
    value: `${ratio.toFixed(2)} (${ms(large[key].p99)} vs ${ms(small[key].p99)}; p50 ${ms(large[key].p50)})`,
    target: '<= 1.5',
    ok: ratio <= 1.5,
  });
}
rows.push({ figure: `start-up with ${large.events} events`, value: ms(large.startupMs), target: '< 1000 ms', ok: large.startupMs < 1000 });
rows.push({ figure: `start-up with ${small.events} events (baseline)`, value: ms(small.startupMs), target: '-', ok: true });
rows.push({ figure: `RSS after start-up with ${large.events} events`, value: `${large.rssMB.toFixed(0)} MB`, target: '< 200 MB', ok: large.rssMB < 200 });

console.table(rows.map((r) => ({ ...r, ok: r.ok ? 'yes' : 'MISSED' })));
mkdirSync(path.join(ROOT, 'bench'), { recursive: true });
writeFileSync(path.join(ROOT, 'bench/results.json'), JSON.stringify({ at: new Date().toISOString(), intake, small, large, rows }, null, 2));
console.log('written to bench/results.json');
