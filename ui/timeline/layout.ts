// Where a lane's marks go in the view: each on one of three levels (on the bar, above, below)
// so close marks do not hide each other, and, where more crowd one spot than the levels hold,
// one cluster mark ("+N") standing for them. A 5,000-event visit seen whole is then a few dozen
// buttons, not 5,000 unreadable ones. Rejected marks, and the focused and selected ones, are
// never folded into a cluster: rejected moments must be impossible to miss.
import type { Mark } from './model';
import { fraction, type View } from './scale';

export const LEVELS = 3;

export type LaidMark = { kind: 'mark'; mark: Mark; level: number };
export type LaidCluster = { kind: 'cluster'; marks: Mark[]; at: number; start: number; end: number; level: number };
export type Laid = LaidMark | LaidCluster;

/**
 * Lays out `marks` (time order) in `view`. `gap`: a mark's width as a fraction of the plot;
 * `keep`: keys drawn on their own whatever the crowd.
 */
export function layoutMarks(marks: Mark[], view: View, gap: number, keep: ReadonlySet<string> = new Set()): Laid[] {
  // Spots two marks wide (a cluster's "+123" fits); a spot with more marks than levels becomes a cluster.
  const width = gap * 2;
  const spots: Mark[][] = [];
  let spot = Number.NaN;
  for (const m of marks) {
    const s = Math.floor(fraction(view, m.at) / width);
    if (s !== spot) spots.push([]);
    spot = s;
    spots[spots.length - 1].push(m);
  }
  const items: Array<Omit<LaidMark, 'level'> | Omit<LaidCluster, 'level'>> = [];
  for (const ms of spots) {
    const own = ms.length > LEVELS ? ms.filter((m) => m.rejected || keep.has(m.key)) : ms;
    const rest = ms.length > LEVELS ? ms.filter((m) => !own.includes(m)) : [];
    if (rest.length === 1) own.push(rest.pop()!);
    if (rest.length > 1) {
      const mid = rest[Math.floor(rest.length / 2)].at;
      items.push({ kind: 'cluster', marks: rest, at: mid, start: rest[0].at, end: rest[rest.length - 1].at });
    }
    for (const m of own.sort((a, b) => a.at - b.at)) items.push({ kind: 'mark', mark: m });
  }
  items.sort((a, b) => at(a) - at(b));
  // Greedy levels: the first level whose last item is a gap away; clusters prefer the bar.
  const last: number[] = Array(LEVELS).fill(-Infinity);
  return items.map((item) => {
    const f = fraction(view, at(item));
    let level = item.kind === 'cluster' && f - last[0] >= 2 * gap ? 0 : last.findIndex((x) => f - x >= gap);
    if (level < 0) level = last.indexOf(Math.min(...last));
    last[level] = f;
    return { ...item, level } as Laid;
  });
}

const at = (item: { kind: string; at?: number; mark?: Mark }) => (item.kind === 'cluster' ? item.at! : item.mark!.at);
