// The visit's picture (ui/timeline's VisitTimeline) and the inspector beside it, sharing the
// selection with the events table below.
import { useMemo } from 'preact/hooks';
import { buildTimeline, MomentInspector, storyFromHistory, VisitTimeline } from '../../../ui/timeline';
import type { VisitData } from './load';

interface Props {
  data: VisitData;
  selected: string | null;
  onSelect: (key: string | null) => void;
}

export function VisitPicture({ data, selected, onSelect }: Props) {
  const story = useMemo(() => storyFromHistory(data.visit, data.events, data.pages), [data]);
  // Drawn up to its last event, not on to "now": a visit read an hour later (GWE keeps a visit
  // open for a day) would be squeezed into the picture's first pixels. The header says "open".
  const model = useMemo(() => buildTimeline(story), [story]);
  const mark = selected ? model.marks.find((m) => m.key === selected) : undefined;
  return (
    <div class="picture-row">
      <div class="picture" data-testid="visit-picture">
        <VisitTimeline story={story} model={model} selectedKey={selected ?? undefined} onSelect={(key) => onSelect(key)} />
      </div>
      <aside class="inspector" aria-label="Inspector">
        <MomentInspector moment={mark?.moment} before={mark?.stateBefore} after={mark?.stateAfter} />
      </aside>
    </div>
  );
}
