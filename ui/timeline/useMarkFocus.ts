// The picture's keyboard focus: one tab stop for the marks and one for the state band (roving
// tabindex). Arrows move it (the view pans to follow, and the element is focused once drawn);
// Enter or Space selects. The "! N rejected" button walks the rejected moments.
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Mark, TimelineModel } from './model';
import type { ViewControl } from './useView';

export interface MarkFocus {
  /** The mark holding the tab stop. */
  rovingKey: string | undefined;
  setFocusKey: (key: string) => void;
  onMarkKey: (e: KeyboardEvent, mark: Mark) => void;
  markRef: (key: string, el: HTMLButtonElement | null) => void;
  nextRejected: () => void;
  /** The band's segment holding its tab stop; `move`: by the arrows (reveal and focus it). */
  segIndex: number;
  onSegFocus: (i: number, move: boolean) => void;
  segmentRef: (i: number, el: HTMLButtonElement | null) => void;
}

/** The mark on `lane` nearest in time to `at`. */
function nearestOnLane(marks: Mark[], lane: number, at: number): Mark | undefined {
  let best: Mark | undefined;
  for (const m of marks) if (m.lane === lane && (!best || Math.abs(m.at - at) < Math.abs(best.at - at))) best = m;
  return best;
}

export function useMarkFocus(built: TimelineModel, control: ViewControl, selectedKey: string | undefined, select: (key: string) => void): MarkFocus {
  const [focusKey, setFocusKey] = useState<string | undefined>(undefined);
  const rovingKey = built.marks.some((m) => m.key === focusKey) ? focusKey : (selectedKey ?? built.marks[0]?.key);
  const [segFocus, setSegFocus] = useState(0);
  const marksEl = useRef(new Map<string, HTMLButtonElement>());
  const segsEl = useRef(new Map<number, HTMLButtonElement>());
  // Moving focus needs the element drawn first (it may have been out of view): focus right after
  // the render is committed (a layout effect: before the next key press is handled).
  const pending = useRef<{ mark?: string; seg?: number } | null>(null);
  useLayoutEffect(() => {
    const p = pending.current;
    if (!p) return;
    pending.current = null;
    if (p.mark !== undefined) marksEl.current.get(p.mark)?.focus();
    if (p.seg !== undefined) segsEl.current.get(p.seg)?.focus();
  });

  const moveTo = (mark: Mark | undefined) => {
    if (!mark) return;
    setFocusKey(mark.key);
    control.reveal(mark.at);
    pending.current = { mark: mark.key };
  };
  const onMarkKey = (e: KeyboardEvent, pressedOn: Mark) => {
    if (e.shiftKey) return; // Shift+arrows pan (onViewKey)
    const { marks } = built;
    // Keys pressed faster than the picture renders: go on from where the last one went.
    const mark = (pending.current?.mark && marks.find((m) => m.key === pending.current!.mark)) || pressedOn;
    const i = marks.indexOf(mark);
    let target: Mark | undefined;
    if (e.key === 'ArrowRight') target = marks[i + 1];
    else if (e.key === 'ArrowLeft') target = marks[i - 1];
    else if (e.key === 'Home') target = marks[0];
    else if (e.key === 'End') target = marks[marks.length - 1];
    else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') target = nearestOnLane(marks, mark.lane + (e.key === 'ArrowDown' ? 1 : -1), mark.at);
    else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      select(mark.key);
      return;
    } else return;
    e.preventDefault();
    e.stopPropagation();
    moveTo(target);
  };
  const nextRejected = () => {
    const rejected = built.marks.filter((m) => m.rejected);
    const current = rejected.findIndex((m) => m.key === selectedKey);
    const target = rejected[(current + 1) % rejected.length];
    if (!target) return;
    moveTo(target);
    select(target.key);
  };
  return {
    rovingKey,
    setFocusKey,
    onMarkKey,
    markRef: (key, el) => (el ? marksEl.current.set(key, el) : marksEl.current.delete(key)),
    nextRejected,
    segIndex: Math.min(segFocus, built.segments.length - 1),
    onSegFocus: (i, move) => {
      setSegFocus(i);
      if (!move) return;
      control.reveal(built.segments[i].start);
      pending.current = { seg: i };
    },
    segmentRef: (i, el) => (el ? segsEl.current.set(i, el) : segsEl.current.delete(i)),
  };
}
