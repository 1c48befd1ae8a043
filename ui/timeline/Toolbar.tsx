// Above the picture: the filter box, zoom and pan buttons, and the rejected count (a button
// that goes to the next rejected moment: they must be impossible to miss).
import { formatDuration } from './format';
import type { ViewControl } from './useView';

export interface ToolbarProps {
  control: ViewControl;
  filterBox: boolean;
  filter: string;
  onFilter: (text: string) => void;
  matches: number | null;
  total: number;
  rejected: number;
  onNextRejected: () => void;
}

export function Toolbar(p: ToolbarProps) {
  const { control } = p;
  const span = control.view.end - control.view.start;
  return (
    <div class="vl-toolbar">
      {p.filterBox ? (
        <input
          type="search"
          class="vl-filter"
          aria-label="Filter moments (dims what does not match)"
          placeholder="Filter: event, id, url, data, state…"
          value={p.filter}
          onInput={(e) => p.onFilter((e.target as HTMLInputElement).value)}
        />
      ) : null}
      <span class="vl-zoom" role="group" aria-label="Zoom and pan">
        <button type="button" aria-label="Zoom in" title="Zoom in (+)" onClick={() => control.zoom(2)}>
          +
        </button>
        <button type="button" aria-label="Zoom out" title="Zoom out (-)" onClick={() => control.zoom(0.5)} disabled={!control.zoomed}>
          −
        </button>
        <button type="button" aria-label="Pan left" title="Pan left (Shift+←)" onClick={() => control.pan(-0.25)} disabled={control.view.start <= control.domain.start}>
          ←
        </button>
        <button type="button" aria-label="Pan right" title="Pan right (Shift+→)" onClick={() => control.pan(0.25)} disabled={control.view.end >= control.domain.end}>
          →
        </button>
        <button type="button" aria-label="Show the whole visit" title="Show the whole visit (0)" onClick={control.reset} disabled={!control.zoomed}>
          ⤢
        </button>
      </span>
      <span class="vl-status" aria-live="polite">
        <span class="vl-span">{formatDuration(span)} shown</span>
        {p.matches !== null ? (
          <span class="vl-matches">
            {p.matches} of {p.total} match
          </span>
        ) : null}
      </span>
      {p.rejected > 0 ? (
        <button type="button" class="vl-rejected-count" onClick={p.onNextRejected} aria-label={`${p.rejected} rejected: go to the next rejected moment`}>
          <span aria-hidden="true">! </span>
          {p.rejected} rejected
        </button>
      ) : null}
    </div>
  );
}
