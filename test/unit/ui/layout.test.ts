// Laying out a lane's marks: levels for close marks, clusters for crowds, never hiding a
// rejected, focused or selected mark in a cluster.
import { describe, expect, it } from 'vitest';
import { layoutMarks, LEVELS } from '../../../ui/timeline/layout';
import { buildTimeline } from '../../../ui/timeline/model';
import { moment } from './stories';

function marksAt(seconds: number[], rejectedAt: number[] = []) {
  const moments = seconds.map((sec) => moment('AddToCart', sec, 'p1', rejectedAt.includes(sec) ? { delivery: { state: 'rejected', reason: 'x' } } : {}));
  return buildTimeline({ visitID: 'v1', moments }).marks;
}
const view = (marks: { at: number }[]) => ({ start: marks[0].at, end: marks[0].at + 100_000 });

describe('layoutMarks', () => {
  it('far-apart marks all sit on the bar', () => {
    const marks = marksAt([0, 20, 40, 60]);
    expect(layoutMarks(marks, view(marks), 0.05).map((x) => [x.kind, x.level])).toEqual([
      ['mark', 0],
      ['mark', 0],
      ['mark', 0],
      ['mark', 0],
    ]);
  });

  it('close marks go on the levels above and below the bar', () => {
    const marks = marksAt([50, 50.5, 51]);
    expect(layoutMarks(marks, view(marks), 0.05).map((x) => [x.kind, x.level])).toEqual([
      ['mark', 0],
      ['mark', 1],
      ['mark', 2],
    ]);
  });

  it(`more than ${LEVELS} in one spot become one cluster standing for them`, () => {
    const marks = marksAt([0, 50, 50.2, 50.4, 50.6, 50.8, 90]);
    const laid = layoutMarks(marks, view(marks), 0.05);
    expect(laid.map((x) => x.kind)).toEqual(['mark', 'cluster', 'mark']);
    const cluster = laid[1];
    expect(cluster.kind === 'cluster' && [cluster.marks.length, cluster.start, cluster.end, cluster.level]).toEqual([5, marks[1].at, marks[5].at, 0]);
  });

  it('rejected, focused and selected marks are drawn on their own, beside the cluster', () => {
    const marks = marksAt([0, 50, 50.2, 50.4, 50.6, 50.8, 51], [50.4]);
    const laid = layoutMarks(marks, view(marks), 0.05, new Set([marks[6].key]));
    const own = laid.filter((x) => x.kind === 'mark').map((x) => x.kind === 'mark' && x.mark.key);
    expect(own).toEqual([marks[0].key, marks[3].key, marks[6].key]);
    const cluster = laid.find((x) => x.kind === 'cluster');
    expect(cluster?.kind === 'cluster' && cluster.marks.map((m) => m.key)).toEqual([marks[1].key, marks[2].key, marks[4].key, marks[5].key]);
  });

  it('a crowd of one left over is a plain mark, not a cluster of one', () => {
    const marks = marksAt([50, 50.2, 50.4, 50.6], [50, 50.2, 50.4]);
    expect(layoutMarks(marks, view(marks), 0.05).map((x) => x.kind)).toEqual(['mark', 'mark', 'mark', 'mark']);
  });
});
