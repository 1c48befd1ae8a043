// A visit's events as a table, oldest first: what the History API stores, row by row. Long
// visits show a slice at a time (the picture above shows them all); a text filter narrows it.
import { useMemo, useState } from 'preact/hooks';
import type { StoredEvent } from '../../../protocol/events';
import type { PageResource } from '../../../protocol/resources';
import { plural, timeMs } from '../shared/format';
import { StateBadge } from '../shared/StateBadge';
import { Categories } from '../shared/Categories';

export const ROWS_AT_ONCE = 100;

interface Props {
  events: StoredEvent[];
  pages: PageResource[];
  selected: string | null;
  onSelect: (eventID: string) => void;
}

const matches = (e: StoredEvent, title: string, text: string) =>
  [e.eventName, e.eventType, e.eventID, e.sessionID ?? '', e.url ?? '', title, e.visitorState, e.category ?? ''].some((v) => v.toLowerCase().includes(text));

export function EventsTable({ events, pages, selected, onSelect }: Props) {
  const [text, setText] = useState('');
  const [shown, setShown] = useState(ROWS_AT_ONCE);
  const titles = useMemo(() => new Map(pages.map((p) => [p.browserPageID, p.title || p.url || p.browserPageID])), [pages]);
  const title = (e: StoredEvent) => (e.browserPageID ? (titles.get(e.browserPageID) ?? e.browserPageID) : '');
  const wanted = text.trim().toLowerCase();
  const rows = useMemo(() => (wanted ? events.filter((e) => matches(e, title(e), wanted)) : events), [events, wanted, titles]);
  return (
    <section aria-labelledby="events-title" class="events">
      <div class="title-row">
        <h2 id="events-title">Events</h2>
        <label>
          Filter events
          <input type="search" value={text} onInput={(e) => setText((e.target as HTMLInputElement).value)} placeholder="SignIn, page title, category, eventID…" />
        </label>
      </div>
      <p role="status" class="status">
        {wanted ? `${plural(rows.length, 'event')} of ${events.length.toLocaleString('en')} match` : plural(events.length, 'event')}
        {rows.length > shown ? `; the first ${shown.toLocaleString('en')} are listed` : ''}.
      </p>
      <div class="table-wrap">
        <table class="events-table" data-testid="events-table">
          <caption class="sr-only">The visit's events, oldest first</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Time</th>
              <th scope="col">Event</th>
              <th scope="col">Type</th>
              <th scope="col">Page</th>
              <th scope="col">Categories</th>
              <th scope="col">Visitor state after</th>
              <th scope="col">Session</th>
              <th scope="col">eventID</th>
            </tr>
          </thead>
          <tbody>
            {rows.slice(0, shown).map((e, i) => (
              <tr key={e.eventID} data-event-id={e.eventID} aria-current={selected === e.eventID ? 'true' : undefined} class={selected === e.eventID ? 'selected' : undefined}>
                <td class="num">{i + 1}</td>
                <td class="mono time">{timeMs(e.timestamp)}</td>
                <th scope="row">
                  <button type="button" class="link" onClick={() => onSelect(e.eventID)} aria-label={`Inspect ${e.eventName} at ${timeMs(e.timestamp)}`}>
                    {e.eventName}
                  </button>
                </th>
                <td>
                  <span class={`type type-${e.eventType}`}>
                    <span aria-hidden="true">{e.eventType === 'SYSTEM' ? '■ ' : '◆ '}</span>
                    {e.eventType}
                  </span>
                </td>
                <td>{title(e)}</td>
                <td>
                  <Categories category={e.category} />
                </td>
                <td>
                  <StateBadge state={e.visitorState} />
                </td>
                <td class="mono">{e.sessionID ?? ''}</td>
                <td class="mono">{e.eventID}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rows.length > shown && (
        <div class="pager">
          <button type="button" onClick={() => setShown(shown + ROWS_AT_ONCE)}>
            Show {Math.min(ROWS_AT_ONCE, rows.length - shown)} more
          </button>
          <button type="button" onClick={() => setShown(rows.length)}>
            Show all {rows.length.toLocaleString('en')}
          </button>
        </div>
      )}
    </section>
  );
}
