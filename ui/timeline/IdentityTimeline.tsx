// An identity's visits on one time axis, one row each: how a person went from Anonymous to
// Authenticated to Recognized across visits. Each row is the visit's state band; ←/→ move
// between a visit's segments, ↑/↓ to the visit above or below, Enter selects (onSelect).
import { useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { formatDateTime } from './format';
import { buildTimeline, type TimelineModel } from './model';
import { Axis, StateBand } from './Rows';
import { fraction, MIN_SPAN, TAIL, type View } from './scale';
import type { Story } from './story';
import { Toolbar } from './Toolbar';
import { useView } from './useView';
import { onViewKey, onViewWheel } from './viewInput';

export interface IdentityTimelineProps {
  /** The identity's visits (identityStories), one row each, oldest first. */
  stories: Story[];
  /** The present (ms): open visits run on to it. */
  now?: number;
  /** A segment was chosen: the visit, and the moment that caused the segment (if any). */
  onSelect?: (visitID: string, momentKey?: string) => void;
  /** Accessible name of the whole picture, e.g. `Visits of ann@shop.test`. */
  label?: string;
}

/** The visit's states in order, e.g. `Anonymous → Authenticated (SignIn ann) → Recognized`. */
export function stateSequence(m: TimelineModel): string {
  return m.segments.map((s) => (s.cause.kind === 'start' ? s.state : `${s.state} (${s.cause.label})`)).join(' → ');
}

function rowLabel(m: TimelineModel): string {
  return `Visit ${m.visitID}, ${formatDateTime(m.start)}, ${m.marks.length} events: ${stateSequence(m)}`;
}

/** The summary beside the visit's span: right of it, or left when the span is near the end. */
function Summary({ m, view }: { m: TimelineModel; view: View }) {
  const a = fraction(view, m.start);
  const b = fraction(view, m.end);
  if (b < 0 || a > 1 || b - a > 0.5) return null;
  const style = b < 0.55 ? { left: `calc(${(b * 100).toFixed(3)}% + 12px)` } : { right: `calc(${((1 - a) * 100).toFixed(3)}% + 6px)` };
  return (
    <span class="vl-visit-summary" style={style} aria-hidden="true">
      {formatDateTime(m.start)} · {stateSequence(m)}
    </span>
  );
}

export function IdentityTimeline(props: IdentityTimelineProps) {
  const models = useMemo(() => props.stories.map((s) => buildTimeline(s, { now: props.now })), [props.stories, props.now]);
  const start = Math.min(...models.map((m) => m.start));
  const end = Math.max(...models.map((m) => m.end));
  const control = useView(models.length ? start : 0, models.length ? end : 0);
  // One tab stop for the whole picture: the focused row and segment.
  const [focus, setFocus] = useState<{ row: number; seg: number }>({ row: 0, seg: 0 });
  const refs = useRef(new Map<string, HTMLButtonElement>());
  const pending = useRef<string | null>(null);
  const plot = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    if (pending.current) refs.current.get(pending.current)?.focus();
    pending.current = null;
  });

  const moveTo = (row: number, seg: number) => {
    const m = models[row];
    if (!m) return;
    const i = Math.max(0, Math.min(seg, m.segments.length - 1));
    setFocus({ row, seg: i });
    control.reveal(m.segments[i].start);
    pending.current = `${row}:${i}`;
  };
  const vertical = (row: number, dir: 1 | -1, at: number) => {
    const target = models[row + dir];
    if (!target) return;
    // The segment of the next visit nearest in time to the one left.
    let best = 0;
    target.segments.forEach((s, i) => {
      const d = at < s.start ? s.start - at : at > s.end ? at - s.end : 0;
      const b = target.segments[best];
      const db = at < b.start ? b.start - at : at > b.end ? at - b.end : 0;
      if (d < db) best = i;
    });
    moveTo(row + dir, best);
  };
  if (models.length === 0) {
    return (
      <section class="vl-timeline vl-identity" aria-label={props.label ?? 'Visits of the identity'}>
        <p class="vl-empty">No visits.</p>
      </section>
    );
  }
  return (
    <section class="vl-timeline vl-full vl-identity" aria-label={props.label ?? 'Visits of the identity'} onKeyDown={(e) => onViewKey(control, e)}>
      <Toolbar control={control} filterBox={false} filter="" onFilter={() => undefined} matches={null} total={0} rejected={0} onNextRejected={() => undefined} />
      <div class="vl-plot" ref={plot} onWheel={(e) => onViewWheel(control, e, plot.current)}>
        <Axis view={control.view} days />
        {models.map((m, row) => {
          return (
            <div key={m.visitID} class="vl-visit-row" data-visit={m.visitID}>
              <StateBand
                view={control.view}
                segments={m.segments}
                label={m.visitID}
                groupLabel={rowLabel(m)}
                focusIndex={focus.row === row ? focus.seg : -1}
                onFocusIndex={(i, move) => (move ? moveTo(row, i) : setFocus({ row, seg: i }))}
                onSelectCause={(key) => props.onSelect?.(m.visitID, key)}
                segmentRef={(i, el) => (el ? refs.current.set(`${row}:${i}`, el) : refs.current.delete(`${row}:${i}`))}
                onVertical={(dir, at) => vertical(row, dir, at)}
                runOnTo={m.end + Math.max((m.end - m.start) * TAIL, MIN_SPAN)}
                labelContent={
                  <button type="button" class="vl-visit-zoom" aria-label={`Zoom to visit ${m.visitID}`} title={`Zoom to visit ${m.visitID}`} onClick={() => control.show({ start: m.start, end: m.end })}>
                    {m.visitID}
                  </button>
                }
                extra={<Summary m={m} view={control.view} />}
              />
            </div>
          );
        })}
      </div>
    </section>
  );
}
