// The rows of the picture above the lanes: the time axis, the visitor-state band and the
// session spans. Positions are CSS percentages of the view (set through Preact's style prop,
// which a strict CSP allows: it sets properties from script, not a style attribute's text).
import type { ComponentChildren } from 'preact';
import { sessionLabel, segmentLabel, STATE_ICON, STATE_SHORT } from './labels';
import { fraction, tickFormat, ticks, type View } from './scale';
import type { SessionSpan, StateSegment } from './states';

/** left/width of [start, end] in the view, cut to what shows (a little past each edge). */
export function place(view: View, start: number, end: number): { left: string; width: string } | null {
  const a = Math.max(-0.01, fraction(view, start));
  const b = Math.min(1.01, fraction(view, end));
  if (b < -0.01 || a > 1.01 || b < a) return null;
  return { left: `${(a * 100).toFixed(3)}%`, width: `${((b - a) * 100).toFixed(3)}%` };
}

/** A row: its label (`labelContent`, when given, is a control and is not hidden), then the track. */
export function Row(props: { label: string; class: string; children: ComponentChildren; labelledTrack?: boolean; labelContent?: ComponentChildren }) {
  return (
    <div class={`vl-row ${props.class}`}>
      <div class="vl-row-label" aria-hidden={props.labelledTrack && !props.labelContent ? 'true' : undefined}>
        {props.labelContent ?? props.label}
      </div>
      <div class="vl-track">{props.children}</div>
    </div>
  );
}

export function Axis({ view, days }: { view: View; days?: boolean }) {
  const { step, times } = ticks(view, days ? 4 : 6);
  const fmt = tickFormat(step, view.end - view.start);
  return (
    <Row label="Time" class="vl-axis" labelledTrack>
      <div aria-hidden="true">
        {times.map((t) => {
          const f = fraction(view, t);
          // A label that would run past the right edge is left off (its line stays).
          const room = days ? 0.87 : 0.92;
          return (
            <span key={t} class="vl-tick" style={{ left: `${(f * 100).toFixed(3)}%` }}>
              {f <= room ? fmt(t) : ''}
            </span>
          );
        })}
      </div>
    </Row>
  );
}

/**
 * A segment narrower than NARROW (of the view) writes its state short (`Anon`, `Rec`, `Auth`),
 * narrower than TINY its icon only; the full name is in its label and tooltip.
 */
const NARROW = 0.14;
const TINY = 0.045;

export function StateBand(props: {
  view: View;
  segments: StateSegment[];
  focusIndex: number;
  /** `move`: by the arrow keys (reveal and focus it), else it just got focus. */
  onFocusIndex: (i: number, move: boolean) => void;
  onSelectCause: (key: string | undefined) => void;
  segmentRef: (i: number, el: HTMLButtonElement | null) => void;
  /** The row's label (default "Visitor state") and the group's accessible name. */
  label?: string;
  groupLabel?: string;
  /** ↑/↓ on a segment (IdentityTimeline: to the visit above or below). */
  onVertical?: (dir: 1 | -1, at: number) => void;
  labelContent?: ComponentChildren;
  /** Where the last segment is drawn to (it runs on past the last moment); its own end by default. */
  runOnTo?: number;
  /** Drawn in the track after the segments (IdentityTimeline's summary beside a visit). */
  extra?: ComponentChildren;
}) {
  const { view, segments } = props;
  const onKey = (e: KeyboardEvent, i: number) => {
    if ((e.key === 'ArrowUp' || e.key === 'ArrowDown') && props.onVertical) {
      e.preventDefault();
      e.stopPropagation();
      props.onVertical(e.key === 'ArrowDown' ? 1 : -1, (segments[i].start + segments[i].end) / 2);
      return;
    }
    const next = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? segments.length - 1 : -1;
    if (next >= 0 && next < segments.length && !e.shiftKey) {
      e.preventDefault();
      e.stopPropagation();
      props.onFocusIndex(next, true);
    }
  };
  return (
    <Row label={props.label ?? 'Visitor state'} class="vl-band" labelledTrack labelContent={props.labelContent}>
      <div role="group" aria-label={props.groupLabel ?? 'Visitor state over time'}>
        {segments.map((s, i) => {
          // The last state runs on: drawn into the room after the last moment (TAIL).
          const drawnEnd = i === segments.length - 1 ? Math.max(s.end, props.runOnTo ?? s.end) : s.end;
          const pos = place(view, s.start, drawnEnd);
          if (!pos && i !== props.focusIndex) return null;
          const width = Math.min(1, fraction(view, drawnEnd)) - Math.max(0, fraction(view, s.start));
          const changed = s.cause.kind !== 'start';
          return (
            <button
              key={`${i}:${s.start}`}
              type="button"
              ref={(el) => props.segmentRef(i, el)}
              class={`vl-seg vl-state-${s.state.toLowerCase()}${changed ? ' vl-seg-change' : ''}`}
              style={pos ?? { left: '0%', width: '0%' }}
              tabIndex={i === props.focusIndex ? 0 : -1}
              aria-label={segmentLabel(s)}
              title={segmentLabel(s)}
              data-state={s.state}
              data-cause={s.cause.label}
              onClick={() => props.onSelectCause(s.cause.momentKey)}
              onFocus={() => props.onFocusIndex(i, false)}
              onKeyDown={(e) => onKey(e, i)}
            >
              <span class="vl-seg-icon" aria-hidden="true">
                {STATE_ICON[s.state]}
              </span>
              {width < TINY ? null : width < NARROW ? (
                <span class="vl-seg-text" aria-hidden="true">
                  {STATE_SHORT[s.state]}
                </span>
              ) : (
                <span class="vl-seg-text" aria-hidden="true">
                  {s.state}
                  {changed ? <span class="vl-seg-cause"> · {s.cause.label}</span> : null}
                </span>
              )}
            </button>
          );
        })}
        {props.extra}
      </div>
    </Row>
  );
}

export function Sessions({ view, sessions }: { view: View; sessions: SessionSpan[] }) {
  return (
    <Row label="Sessions" class="vl-sessions" labelledTrack>
      <div role="list" aria-label={sessions.length ? 'Sessions' : 'No session (never signed in)'}>
        {sessions.map((s) => {
          // An open session runs on, into the room after the last moment.
          const pos = place(view, s.start, s.open ? Math.max(s.end, view.end) : s.end);
          return pos ? (
            <div key={`${s.sessionID}:${s.start}`} role="listitem" class={`vl-session${s.open ? ' vl-open' : ''}`} style={pos} aria-label={sessionLabel(s)} title={sessionLabel(s)}>
              <span aria-hidden="true">{s.sessionID}</span>
            </div>
          ) : null;
        })}
      </div>
    </Row>
  );
}
