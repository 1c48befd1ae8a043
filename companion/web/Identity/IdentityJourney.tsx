// How the person went from Anonymous to Authenticated to Recognized across visits, in words:
// each visit with the changes of its visitor state and the event that made each.
import type { StoredEvent } from '../../../protocol/events';
import type { VisitResource } from '../../../protocol/resources';
import { dateTime, plural, timeMs } from '../shared/format';
import { visitHref } from '../shared/router';
import { StateBadge } from '../shared/StateBadge';
import { stateChanges } from './load';

function cause(e: StoredEvent): string {
  const data = (e.data ?? {}) as Record<string, unknown>;
  const who = data.email ?? data.userId ?? data.phone;
  return who ? `${e.eventName} ${String(who)}` : e.eventName;
}

export function IdentityJourney({ visits, events }: { visits: VisitResource[]; events: StoredEvent[] }) {
  const changes = stateChanges(events);
  const ordered = [...visits].sort((a, b) => a.startDate - b.startDate);
  return (
    <section aria-labelledby="journey-title">
      <h2 id="journey-title">Visits, oldest first</h2>
      <ol class="journey">
        {ordered.map((v) => {
          const mine = changes.filter((c) => c.visitId === v.visitId);
          const count = events.filter((e) => e.visitID === v.visitId).length;
          return (
            <li key={v.visitId} data-visit-id={v.visitId}>
              <p>
                <a href={visitHref(v.visitId)} class="mono">
                  {v.visitId}
                </a>{' '}
                started {dateTime(v.startDate)}, {plural(count, 'event')}, now <StateBadge state={v.visitorState} />
              </p>
              <ol class="changes" aria-label={`Visitor state changes in visit ${v.visitId}`}>
                {mine.map((c) => (
                  <li key={c.event.eventID}>
                    <time>{timeMs(c.at)}</time> <StateBadge state={c.to} /> <span class="muted">after</span> {cause(c.event)}
                  </li>
                ))}
              </ol>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
