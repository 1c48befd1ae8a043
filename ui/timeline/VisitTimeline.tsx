// One visit's story drawn along a time axis: the state band, sessions, lanes of page views
// with their marks. Keyboard: Tab reaches the band and the marks (one stop each); arrows move
// between marks (←/→ in time, ↑/↓ to the nearest mark of the next lane), Home/End, Enter or
// Space selects; + and - zoom, Shift+arrows pan, 0 shows the whole visit; the wheel zooms
// (Shift+wheel pans).
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { matchingKeys } from './filter';
import { Lanes } from './Lanes';
import { buildTimeline, type Mark, type TimelineModel } from './model';
import { useMarkFocus } from './useMarkFocus';
import { onViewKey, onViewWheel } from './viewInput';
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
  /** The present (ms), so an open visit's band runs on towards it. */
  now?: number;
  /** A model already built (buildTimeline), to share one with a list beside the picture. */
  model?: TimelineModel;
}

/** A mark's width in px (timeline.css --vl-mark), and the plot's assumed width before it is measured. */
const MARK_PX = { compact: 14, full: 16 };
const PLOT_PX = { compact: 340, full: 900 };

export function VisitTimeline(props: VisitTimelineProps) {
  const built = useMemo(() => props.model ?? buildTimeline(props.story, { now: props.now }), [props.model, props.story, props.now]);
  const control = useView(built.start, built.end);
  // Controlled when the window passes filter (it owns the text), else kept here. Copying the
  // prop into local state in an effect lost keystrokes: a stale effect wrote back older text.
  const [localFilter, setLocalFilter] = useState('');
  const filter = props.filter ?? localFilter;
  const onFilter = (t: string) => {
    setLocalFilter(t);
    props.onFilterChange?.(t);
  };
  const matching = useMemo(() => matchingKeys(built.marks.map((m) => m.moment), filter), [built, filter]);

  const [localSelected, setLocalSelected] = useState<string | undefined>(undefined);
  // Controlled when the window passes selectedKey (even undefined: nothing selected), else local.
  const selectedKey = 'selectedKey' in props ? props.selectedKey : localSelected;
  const select = (key: string) => {
    const mark = built.marks.find((m) => m.key === key);
    if (!mark) return;
    setLocalSelected(key);
    props.onSelect?.(key, mark);
  };
  const focus = useMarkFocus(built, control, selectedKey, select);

  // The plot's width in px, for how close marks may sit (measured once drawn).
  const plot = useRef<HTMLDivElement>(null);
  const [plotPx, setPlotPx] = useState(props.compact ? PLOT_PX.compact : PLOT_PX.full);
  useEffect(() => {
    const w = plot.current?.querySelector('.vl-track')?.clientWidth;
    if (w && w !== plotPx) setPlotPx(w);
  });
  const onKey = (e: KeyboardEvent) => {
    const onMark = (e.target as HTMLElement).classList?.contains('vl-mark');
    onViewKey(control, e, onMark ? built.marks.find((m) => m.key === focus.rovingKey)?.at : undefined);
  };

  const cls = ['vl-timeline', props.compact ? 'vl-compact' : 'vl-full', built.rejected ? 'vl-any-rejected' : ''];
  return (
    <section class={cls.join(' ')} aria-label={`Timeline of visit ${built.visitID}`} onKeyDown={onKey} data-visit={built.visitID}>
      <Toolbar
        control={control}
        filterBox={props.filterBox ?? true}
        filter={filter}
        onFilter={onFilter}
        matches={matching ? matching.size : null}
        total={built.marks.length}
        rejected={built.rejected}
        onNextRejected={focus.nextRejected}
      />
      <div class="vl-plot" ref={plot} onWheel={(e) => onViewWheel(control, e, plot.current)}>
        <Axis view={control.view} />
        <StateBand
          view={control.view}
          segments={built.segments}
          focusIndex={focus.segIndex}
          onFocusIndex={focus.onSegFocus}
          onSelectCause={(key) => key !== undefined && select(key)}
          segmentRef={focus.segmentRef}
          runOnTo={control.view.end}
        />
        <Sessions view={control.view} sessions={built.sessions} />
        {built.marks.length === 0 ? <p class="vl-empty">Nothing in this visit yet.</p> : null}
        <Lanes
          view={control.view}
          lanes={built.lanes}
          matching={matching}
          focusKey={focus.rovingKey}
          selectedKey={selectedKey}
          gap={(props.compact ? MARK_PX.compact : MARK_PX.full) / plotPx}
          onSelect={select}
          onFocusKey={focus.setFocusKey}
          onMarkKey={focus.onMarkKey}
          markRef={focus.markRef}
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
      <li>
        <span class="vl-mark vl-system vl-sample" aria-hidden="true"><span class="vl-mark-letter">S</span><span class="vl-mark-warn">⚠</span></span> stored with a warning
      </li>
      <li>
        <span class="vl-mark vl-system vl-transition vl-sample" aria-hidden="true"><span class="vl-mark-letter">S</span></span> changed the state
      </li>
      <li>
        <span class="vl-cluster vl-sample" aria-hidden="true">+9</span> several moments (zooms in)
      </li>
    </ul>
  );
}
