// The lanes (one per tab, or page views that overlap side by side): page-view bars with their
// titles, and every moment as a mark. Marks are buttons with one tab stop for all of them (a
// roving tabindex: the arrow keys move between marks, see VisitTimeline).
import { barLabel, KIND_LETTER, markLabel } from './labels';
import type { Lane, Mark, PageBar } from './model';
import { place, Row } from './Rows';
import { fraction, type View } from './scale';

/** Marks closer than this (of the view's width) go on the next level up, up to LEVELS. */
const LEVELS = 3;

/** The level (0 on the bar, 1 above, 2 below) of each mark in view, so close marks don't hide each other. */
export function stackLevels(marks: Mark[], view: View, gap: number): Map<string, number> {
  const last: number[] = Array(LEVELS).fill(-Infinity);
  const levels = new Map<string, number>();
  for (const m of marks) {
    const f = fraction(view, m.at);
    let level = last.findIndex((x) => f - x >= gap);
    if (level < 0) level = last.indexOf(Math.min(...last));
    last[level] = f;
    levels.set(m.key, level);
  }
  return levels;
}

export interface LaneProps {
  view: View;
  lanes: Lane[];
  /** Keys that match the filter (null: no filter, nothing dimmed). */
  matching: Set<string> | null;
  focusKey: string | undefined;
  selectedKey: string | undefined;
  /** A mark's width as a fraction of the plot (for stacking). */
  gap: number;
  onSelect: (key: string) => void;
  onFocusKey: (key: string) => void;
  onMarkKey: (e: KeyboardEvent, mark: Mark) => void;
  markRef: (key: string, el: HTMLButtonElement | null) => void;
}

function Bar({ bar, view, dim }: { bar: PageBar; view: View; dim: boolean }) {
  const pos = place(view, bar.start, bar.end);
  if (!pos) return null;
  const cls = ['vl-bar', bar.open ? 'vl-open' : '', bar.rejected ? 'vl-has-rejected' : '', dim ? 'vl-dim' : ''];
  return (
    <div role="img" class={cls.join(' ')} style={pos} aria-label={barLabel(bar)} title={barLabel(bar)} data-page={bar.pageID ?? ''}>
      <span class="vl-bar-title" aria-hidden="true">
        {bar.title}
      </span>
    </div>
  );
}

function MarkButton(props: LaneProps & { mark: Mark; bar: PageBar; level: number }) {
  const { mark: m, bar } = props;
  const dim = props.matching !== null && !props.matching.has(m.key);
  const selected = props.selectedKey === m.key;
  const cls = [
    'vl-mark',
    `vl-${m.kind}`,
    `vl-d-${m.delivery ?? (m.deliveryText === 'stored' ? 'stored' : 'none')}`,
    `vl-lvl-${props.level}`,
    m.rejected ? 'vl-rejected' : '',
    m.warning ? 'vl-warning' : '',
    m.stateBefore !== m.stateAfter ? 'vl-transition' : '',
    dim ? 'vl-dim' : '',
    selected ? 'vl-selected' : '',
  ];
  return (
    <button
      type="button"
      ref={(el) => props.markRef(m.key, el)}
      class={cls.filter(Boolean).join(' ')}
      style={{ left: `${(fraction(props.view, m.at) * 100).toFixed(3)}%` }}
      tabIndex={props.focusKey === m.key ? 0 : -1}
      aria-label={markLabel(m, bar)}
      aria-pressed={selected}
      title={markLabel(m, bar)}
      data-key={m.key}
      data-kind={m.kind}
      data-delivery={m.deliveryText}
      onClick={() => props.onSelect(m.key)}
      onFocus={() => props.onFocusKey(m.key)}
      onKeyDown={(e) => props.onMarkKey(e, m)}
    >
      <span class="vl-mark-letter" aria-hidden="true">
        {KIND_LETTER[m.kind]}
      </span>
      {m.rejected ? (
        <span class="vl-mark-flag" aria-hidden="true">
          !
        </span>
      ) : null}
    </button>
  );
}

export function Lanes(props: LaneProps) {
  const { view } = props;
  return (
    <>
      {props.lanes.map((lane) => {
        const marks = lane.bars.flatMap((b) => b.marks.map((m) => ({ m, b }))).sort((x, y) => x.m.at - y.m.at);
        // Only what is in view (or focused) is drawn: a long visit zoomed in stays light.
        const shown = marks.filter(({ m }) => (m.at >= view.start && m.at <= view.end) || m.key === props.focusKey);
        const levels = stackLevels(shown.map((x) => x.m), view, props.gap);
        return (
          <Row key={lane.key} label={lane.label} class="vl-lane" labelledTrack>
            <div role="group" aria-label={lane.label}>
              {lane.bars.map((b) => (
                <Bar key={b.key} bar={b} view={view} dim={props.matching !== null && !b.marks.some((m) => props.matching!.has(m.key))} />
              ))}
              {shown.map(({ m, b }) => (
                <MarkButton key={m.key} {...props} mark={m} bar={b} level={levels.get(m.key) ?? 0} />
              ))}
            </div>
          </Row>
        );
      })}
    </>
  );
}
