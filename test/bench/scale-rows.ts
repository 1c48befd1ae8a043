// The scale benchmark's figures as rows of `npm run bench`'s table, each beside its target.
import type { ScaleFigures } from './scale';

type Row = (figure: string, value: string, target: string, ok: boolean) => void;

const ms = (n: number) => `${n.toFixed(2)} ms`;
const n = (x: number) => Math.round(x).toLocaleString('en');

export function scaleRows(f: ScaleFigures, row: Row): void {
  const { small: s, large: l } = f;
  const at = `${n(l.events)}/${n(s.events)} stored`;
  const cpu = l.intake.cpuUs / s.intake.cpuUs;
  row(
    `intake CPU per event, ${at}`,
    `${cpu.toFixed(2)} (${l.intake.cpuUs.toFixed(1)} vs ${s.intake.cpuUs.toFixed(1)} µs; ${n(s.intake.events)} events each, batches of 100, after a warm-up)`,
    '<= 1.25',
    cpu <= 1.25,
  );
  const wall = l.intake.wallUs / s.intake.wallUs;
  row(
    `intake wall time per event, ${at}`,
    `${wall.toFixed(2)} (${n(1e6 / l.intake.wallUs)} vs ${n(1e6 / s.intake.wallUs)} events/s)`,
    '<= 1.25',
    wall <= 1.25,
  );
  for (const key of ['visitWithEvents', 'identityVisits', 'eventsFilter'] as const) {
    const a = l.history[key];
    const b = s.history[key];
    row(`${key} p99 at ${n(l.events)} stored`, `${ms(a.p99)} (p50 ${ms(a.p50)})`, '< 10 ms', a.p99 < 10);
    const ratio = a.p99 / b.p99;
    row(`${key} p99, ${at}`, `${ratio.toFixed(2)} (${ms(a.p99)} vs ${ms(b.p99)}; p50 ${ms(a.p50)} vs ${ms(b.p50)})`, '<= 1.5', ratio <= 1.5);
  }
  const r = l.restart;
  row(
    `restart after SIGKILL under intake, ${n(r.found)} stored: spawn to listening`,
    `${ms(r.ms)} (${ms(s.restart.ms)} with ${n(s.restart.found)})`,
    '< 10 s',
    r.ms < 10_000,
  );
  for (const side of [s, l]) {
    const x = side.restart;
    row(`... events found after it / acknowledged before`, `${n(x.found)} / ${n(x.acknowledged)}`, 'found >= acknowledged', x.found >= x.acknowledged);
  }
  row(`start-up after a clean stop, ${n(l.cleanEvents)} stored`, `${ms(l.cleanStartMs)} (${ms(s.cleanStartMs)} with ${n(s.cleanEvents)})`, '< 10 s', l.cleanStartMs < 10_000);
  row(
    `RSS per stored event (RSS difference over event difference, after the restart)`,
    `${n(f.rssBytesPerEvent)} B (${n(r.rssMB)} MB with ${n(r.found)}, ${n(s.restart.rssMB)} MB with ${n(s.restart.found)})`,
    '< 1,024 B',
    f.rssBytesPerEvent < 1024,
  );
  const { read, health } = l.stall;
  row(
    `longest wait of a one-visit read under intake, from ${n(r.found)} stored`,
    `${ms(read.underLoad.max)} (p99 ${ms(read.underLoad.p99)}, idle ${ms(read.idleMs)}; ${n(read.events)} events in ${read.seconds.toFixed(0)} s, ` +
      `${read.snapshot ? 'a snapshot written meanwhile' : 'NO snapshot meanwhile'}; longest before/during/after it ${[read.maxBy.before, read.maxBy.during, read.maxBy.after].map((x) => x.toFixed(0)).join('/')} ms; ` +
      `${ms(s.stall.read.underLoad.max)} from ${n(s.restart.found)})`,
    '< 100 ms',
    read.underLoad.max < 100,
  );
  row(
    `longest /lab/health under intake, from ${n(r.found + read.events)} stored`,
    `${ms(health.underLoad.max)} (p50 ${ms(health.underLoad.p50)}, idle ${ms(health.idleMs)}; ${health.snapshot || health.maxBy.during ? 'a snapshot under way meanwhile' : 'no snapshot'}; ${ms(s.stall.health.underLoad.max)} from ${n(s.restart.found + s.stall.read.events)})`,
    '< 100 ms',
    health.underLoad.max < 100,
  );
  const tenths = l.fill.cpuUsByTenth;
  // The first tenth runs on code not yet optimised; a snapshot lands in one tenth or another.
  const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
  const fillRatio = mean(tenths.slice(5)) / mean(tenths.slice(1, 5));
  row(
    `intake CPU per event while filling ${n(l.events)}: 2nd half / 1st half (less its first tenth)`,
    `${fillRatio.toFixed(2)} (µs by tenth, snapshots included: ${tenths.map((x) => x.toFixed(1)).join(' ')})`,
    '<= 1.25',
    fillRatio <= 1.25,
  );
  row(`filling ${n(l.events)} events over HTTP (1,000 a request, 4 clients)`, `${(l.fill.ms / 1000).toFixed(1)} s (${n((l.fill.events * 1000) / l.fill.ms)} events/s)`, 'for information', true);
}
