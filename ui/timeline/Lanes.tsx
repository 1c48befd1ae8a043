// The lanes (one per tab, or page views that overlap side by side): page-view bars with their
// titles, and every moment as a mark. Marks are buttons with one tab stop for all of them (a
// roving tabindex: the arrow keys move between marks, see VisitTimeline).
import { formatTime } from './format';
import { barLabel, KIND_LETTER, markLabel } from './labels';
import { layoutMarks, type LaidCluster } from './layout';
import type { Lane, Mark, PageBar } from './model';
import { place, Row } from './Rows';
import { fraction, type View } from './scale';

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
  /** A cluster was chosen: show its span. */
  onZoomTo: (start: number, end: number) => void;
}

function Bar({ bar, view, dim }: { bar: PageBar; view: View; dim: boolean }) {
  const pos = place(view, bar.start, bar.end);
  if (!pos) return null;
  const cls = ['vl-bar', bar.open ? 'vl-open' : '', bar.rejected ? 'vl-has-rejected' : '', dim ? 'vl-dim' : ''];
  // The title goes above the bar, clear of the marks on it (and named in the bar's label).
  return (
    <>
      <span class={`vl-bar-title${dim ? ' vl-dim' : ''}`} style={pos} aria-hidden="true">
        {bar.title}
      </span>
      <div role="img" class={cls.join(' ')} style={pos} aria-label={barLabel(bar)} title={barLabel(bar)} data-page={bar.pageID ?? ''} />
    </>
  );
}

/** `12 moments from 21:00:00 to 21:00:08: 10 ProductViewed, 2 PageEntered`. */
export function clusterLabel(c: LaidCluster): string {
  const counts = new Map<string, number>();
  for (const m of c.marks) counts.set(m.name, (counts.get(m.name) ?? 0) + 1);
  const top = [...counts].sort((a, b) => b[1] - a[1]);
  const names = top.slice(0, 3).map(([name, n]) => `${n} ${name}`).join(', ') + (top.length > 3 ? ', …' : '');
  return `${c.marks.length} moments from ${formatTime(c.start)} to ${formatTime(c.end)}: ${names}; zoom in to see them`;
}

function Cluster({ c, view, dim, onZoomTo }: { c: LaidCluster; view: View; dim: boolean; onZoomTo: LaneProps['onZoomTo'] }) {
  const name = clusterLabel(c);
  return (
    <button
      type="button"
      class={`vl-cluster vl-lvl-${c.level}${dim ? ' vl-dim' : ''}`}
      style={{ left: `${(fraction(view, c.at) * 100).toFixed(3)}%` }}
      tabIndex={-1}
      aria-label={name}
      title={name}
      data-count={c.marks.length}
      onClick={() => onZoomTo(c.start, c.end)}
    >
      +{c.marks.length < 1000 ? c.marks.length : `${Math.floor(c.marks.length / 1000)}k`}
    </button>
  );
}

function MarkButton(props: LaneProps & { mark: Mark; bar: PageBar; level: number }) {
  const { mark: m, bar } = props;
  const name = markLabel(m, bar);
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
      aria-label={name}
      aria-pressed={selected}
      title={name}
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
      {m.warning ? (
        <span class="vl-mark-warn" aria-hidden="true">
          ⚠
        </span>
      ) : null}
    </button>
  );
}

export function Lanes(props: LaneProps) {
  const { view, matching } = props;
  const keep = new Set([props.focusKey, props.selectedKey].filter((k): k is string => k !== undefined));
  return (
    <>
      {props.lanes.map((lane) => {
        const barOf = new Map<string, PageBar>();
        const marks: Mark[] = [];
        for (const b of lane.bars) {
          for (const m of b.marks) {
            barOf.set(m.key, b);
            marks.push(m);
          }
        }
        marks.sort((x, y) => x.at - y.at);
        // Only what is in view (or focused) is drawn: a long visit zoomed in stays light.
        const shown = marks.filter((m) => (m.at >= view.start && m.at <= view.end) || m.key === props.focusKey);
        const laid = layoutMarks(shown, view, props.gap, keep);
        return (
          <Row key={lane.key} label={lane.label} class="vl-lane" labelledTrack>
            <div role="group" aria-label={lane.label}>
              {lane.bars.map((b) => (
                <Bar key={b.key} bar={b} view={view} dim={matching !== null && !b.marks.some((m) => matching.has(m.key))} />
              ))}
              {laid.map((item) =>
                item.kind === 'cluster' ? (
                  <Cluster key={`c:${item.marks[0].key}`} c={item} view={view} dim={matching !== null && !item.marks.some((m) => matching.has(m.key))} onZoomTo={props.onZoomTo} />
                ) : (
                  <MarkButton key={item.mark.key} {...props} mark={item.mark} bar={barOf.get(item.mark.key)!} level={item.level} />
                ),
              )}
            </div>
          </Row>
        );
      })}
    </>
  );
}
