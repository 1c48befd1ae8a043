// The visit's picture and the inspector beside it. (Until ui/timeline/ lands: the selected
// event's JSON alone.)
import type { StoredEvent } from '../../../protocol/events';
import type { VisitData } from './load';

interface Props {
  data: VisitData;
  selected: string | null;
  onSelect: (key: string | null) => void;
}

export function VisitPicture({ data, selected }: Props) {
  const event: StoredEvent | undefined = selected ? data.events.find((e) => e.eventID === selected) : undefined;
  return (
    <div class="picture-row">
      <section class="picture" aria-label="Timeline" data-testid="visit-picture" />
      <aside class="inspector" aria-label="Inspector">
        <h2>Inspector</h2>
        {event ? <pre>{JSON.stringify(event, null, 2)}</pre> : <p class="muted">Select an event to see everything about it.</p>}
      </aside>
    </div>
  );
}
