// One visit's story drawn along a time axis: the state band, sessions, lanes of page views
// with their marks. Keyboard: Tab reaches the band and the marks (one stop each); arrows move
// between marks (←/→ in time, ↑/↓ to the nearest mark of the next lane), Home/End, Enter or
// Space selects; + and - zoom, Shift+arrows pan, 0 shows the whole visit; the wheel zooms
// (Shift+wheel pans).
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { matchingKeys } from './filter';
import { Lanes } from './Lanes';
import { buildTimeline, type Mark, type TimelineModel } from './model';
import { Axis, Sessions, StateBand } from './Rows';
import type { Story } from './story';
import { Toolbar } from './Toolbar';
import { useView } from './useView';

export interface VisitTimelineProps {
  story: Story;
  /** The popup's ~440 px picture; full size otherwise (DevTools panel, web app). */
  compact?: boolean;
  /** The filter text (the box shows it; typing calls onFilterChange, or filters locally). */
  filter?: string;
  onFilterChange?: (text: string) => void;
  /** Draw the filter box (default true); false when the window has its own. */
  filterBox?: boolean;
  selectedKey?: string;
  onSelect?: (key: string, mark: Mark) => void;
  /** The present (ms), so an open visit's band runs on towards it */
  now?: number;
  /** A model already built (buildTimeline), to share one with a list beside the picture. */
  model?: TimelineModel;
}

/** A mark's width in px, and the plot's assumed width before it is measured. */
const MARK_PX = 16;
const PLOT_PX = { compact: 340, full: 900 };

export function VisitTimeline(props: VisitTimelineProps) {
  const built = useMemo(() => props.model ?? buildTimeline(props.story, { now: props.now }), [props.model, props.story, props.now]);
  const control = useView(built.start, built.end);
  const [localFilter, setLocalFilter] = useState(props.filter ?? '');
  useEffect(() => setLocalFilter(props.filter ?? ''), [props.filter]);
  const filter = localFilter;
  const onFilter = (t: string) => {
    setLocalFilter(t);
    props.onFilterChange?.(t);
  };
  const matching = useMemo(() => matchingKeys(built.marks.map((m) => m.moment), filter), [built, filter]);

  const [localSelected, setLocalSelected] = useState<string | undefined>(undefined);
  const selectedKey = props.selectedKey ?? localSelected;
  const [focusKey, setFocusKey] = useState<string | undefined>(undefined);
  const rovingKey = built.marks.some((m) => m.key === focusKey) ? focusKey : (selectedKey ?? built.marks[0]?.key);
  const [segFocus, setSegFocus] = useState(0);
  const segIndex = Math.min(segFocus, built.segments.length - 1);

  const marksEl = useRef(new Map<string, HTMLButtonElement>());
  const segsEl = useRef(new Map<number, HTMLButtonElement>());
  const plot = useRef<HTMLDivElement>(null);
  // Moving focus needs the element drawn first (it may have been out of view): focus after render.
  const pendingFocus = useRef<{ mark?: string; seg?: number } | null>(null);
  useEffect(() => {
    const p = pendingFocus.current;
    if (!p) return;
    pendingFocus.current = null;
    if (p.mark !== undefined) marksEl.current.get(p.mark)?.focus();
    if (p.seg !== undefined) segsEl.current.get(p.seg)?.focus();
  });

  const [plotPx, setPlotPx] = useState(props.compact ? PLOT_PX.compact : PLOT_PX.full);
  useEffect(() => {
    const w = plot.current?.querySelector('.vl-track')?.clientWidth;
    if (w && w !== plotPx) setPlotPx(w);
  });

  const select = (key: string) => {
    const mark = built.marks.find((m) => m.key === key);
    if (!mark) return;
    setLocalSelected(key);
    props.onSelect?.(key, mark);
  };
  const moveTo = (mark: Mark | undefined) => {
    if (!mark) return;
    setFocusKey(mark.key);
    control.reveal(mark.at);
    pendingFocus.current = { mark: mark.key };
  };
  const onMarkKey = (e: KeyboardEvent, mark: Mark) => {
    const i = built.marks.indexOf(mark);
    let target: Mark | undefined;
    if (e.shiftKey) return; // Shift+arrows pan (handled on the plot)
    if (e.key === 'ArrowRight') target = built.marks[i + 1];
    else if (e.key === 'ArrowLeft') target = built.marks[i - 1];
    else if (e.key === 'Home') target = built.marks[0];
    else if (e.key === 'End') target = built.marks[built.marks.length - 1];
    else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      const lane = mark.lane + (e.key === 'ArrowDown' ? 1 : -1);
      const inLane = built.marks.filter((m) => m.lane === lane);
      target = inLane.reduce<Mark | undefined>((best, m) => (!best || Math.abs(m.at - mark.at) < Math.abs(best.at - mark.at) ? m : best), undefined);
    } else if (e.key === 'Enter' || e.key === ' ') {
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
  const focusedAt = () => built.marks.find((m) => m.key === rovingKey)?.at;
  const onPlotKey = (e: KeyboardEvent) => {
    if ((e.target as HTMLElement).tagName === 'INPUT') return;
    const anchor = (e.target as HTMLElement).classList?.contains('vl-mark') ? focusedAt() : undefined;
    if (e.key === '+' || e.key === '=') control.zoom(2, anchor);
    else if (e.key === '-' || e.key === '_') control.zoom(0.5, anchor);
    else if (e.key === '0') control.reset();
    else if (e.key === 'ArrowLeft' && e.shiftKey) control.pan(-0.25);
    else if (e.key === 'ArrowRight' && e.shiftKey) control.pan(0.25);
    else return;
    e.preventDefault();
  };
  const onWheel = (e: WheelEvent) => {
    const track = plot.current?.querySelector('.vl-track');
    if (!track) return;
    e.preventDefault();
    const rect = track.getBoundingClientRect();
    if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
      control.pan(((e.shiftKey ? e.deltaY : e.deltaX) || 0) / Math.max(rect.width, 1));
      return;
    }
    const f = rect.width > 0 ? (e.clientX - rect.left) / rect.width : 0.5;
    const anchor = control.view.start + Math.min(1, Math.max(0, f)) * (control.view.end - control.view.start);
    control.zoom(e.deltaY < 0 ? 1.25 : 0.8, anchor);
  };

  const cls = ['vl-timeline', props.compact ? 'vl-compact' : 'vl-full', built.rejected ? 'vl-any-rejected' : ''];
  return (
    <section class={cls.join(' ')} aria-label={`Timeline of visit ${built.visitID}`} onKeyDown={onPlotKey} data-visit={built.visitID}>
      <Toolbar
        control={control}
        filterBox={props.filterBox ?? true}
        filter={filter}
        onFilter={onFilter}
        matches={matching ? matching.size : null}
        total={built.marks.length}
        rejected={built.rejected}
        onNextRejected={nextRejected}
      />
      <div class="vl-plot" ref={plot} onWheel={onWheel}>
        <Axis view={control.view} />
        <StateBand
          view={control.view}
          segments={built.segments}
          focusIndex={segIndex}
          onFocusIndex={(i, move) => {
            setSegFocus(i);
            if (!move) return;
            control.reveal(built.segments[i].start);
            pendingFocus.current = { seg: i };
          }}
          onSelectCause={(key) => key !== undefined && select(key)}
          segmentRef={(i, el) => (el ? segsEl.current.set(i, el) : segsEl.current.delete(i))}
        />
        <Sessions view={control.view} sessions={built.sessions} />
        {built.marks.length === 0 ? <p class="vl-empty">Nothing in this visit yet.</p> : null}
        <Lanes
          view={control.view}
          lanes={built.lanes}
          matching={matching}
          focusKey={rovingKey}
          selectedKey={selectedKey}
          gap={MARK_PX / plotPx}
          onSelect={select}
          onFocusKey={setFocusKey}
          onMarkKey={onMarkKey}
          markRef={(key, el) => (el ? marksEl.current.set(key, el) : marksEl.current.delete(key))}
          onZoomTo={(start, end) => control.show({ start, end })}
        />
      </div>
      {props.compact ? null : <Legend />}
    </section>
  );
}

function Legend() {
  return (
    <ul class="vl-legend" aria-label="Legend">
      <li>
        <span class="vl-mark vl-system vl-sample" aria-hidden="true"><span class="vl-mark-letter">S</span></span> system event
      </li>
      <li>
        <span class="vl-mark vl-business vl-sample" aria-hidden="true"><span class="vl-mark-letter">B</span></span> business event
      </li>
      <li>
        <span class="vl-mark vl-command vl-sample" aria-hidden="true"><span class="vl-mark-letter">C</span></span> command, no event
      </li>
      <li>
        <span class="vl-mark vl-system vl-d-queued vl-sample" aria-hidden="true"><span class="vl-mark-letter">S</span></span> hollow: queued or sent
      </li>
      <li>
        <span class="vl-mark vl-system vl-rejected vl-sample" aria-hidden="true"><span class="vl-mark-letter">S</span><span class="vl-mark-flag">!</span></span> rejected
      </li>
    </ul>
  );
}
