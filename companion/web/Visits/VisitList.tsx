// `/`: the visits, newest first, live as events arrive, filtered by state, identity and url.
import { useState } from 'preact/hooks';
import type { LabVisitSummary } from '../../server/lab-visits';
import { getJson } from '../shared/api';
import { plural } from '../shared/format';
import { useChanges } from '../shared/live';
import { Pager } from '../shared/Pager';
import { Problem } from '../shared/Problem';
import { useLoad } from '../shared/useLoad';
import { ExportImport } from '../Transfer/ExportImport';
import { filterOf, filterQuery, VisitFilters } from './VisitFilters';
import { VisitRow } from './VisitRow';

export const LIST_PAGE_SIZE = 50;

export function VisitList({ query }: { query: URLSearchParams }) {
  const filter = filterOf(query);
  const qs = filterQuery(filter);
  // The keys of the pages before this one: [] on the newest page.
  const [keys, setKeys] = useState<string[]>([]);
  const [listKey, setListKey] = useState(qs);
  if (listKey !== qs) {
    setListKey(qs);
    setKeys([]);
  }
  const seq = useChanges();
  const pageKey = keys.at(-1);
  // Live on the newest page only: an older page stays put while the reader is on it.
  const refresh = pageKey === undefined ? seq : null;
  const loaded = useLoad(
    `${qs}|${pageKey ?? ''}`,
    (signal) =>
      getJson<LabVisitSummary[]>(`/lab/visits?${qs}${qs ? '&' : ''}page_size=${LIST_PAGE_SIZE}${pageKey ? `&page_key=${encodeURIComponent(pageKey)}` : ''}`, signal),
    refresh,
  );
  const visits = loaded.data?.body ?? [];
  const next = loaded.data?.next ?? null;
  return (
    <section aria-labelledby="visits-title">
      <div class="title-row">
        <h1 id="visits-title">Visits</h1>
        <ExportImport scope={null} />
      </div>
      <VisitFilters filter={filter} />
      {loaded.error && <Problem error={loaded.error} what="the visits" />}
      <p class="status" role="status">
        {loaded.data === null ? 'Loading visits…' : visits.length === 0 && keys.length === 0 ? (qs ? 'No visit matches these filters.' : 'No visits yet: browse a tracked site, or post events to /server/events.') : `${plural(visits.length, 'visit')} on this page, newest first${keys.length === 0 ? ' (live)' : ''}.`}
      </p>
      {visits.length > 0 && (
        <div class="table-wrap">
          <table class="visits">
            <caption class="sr-only">Visits, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Visit</th>
                <th scope="col">Visitor state</th>
                <th scope="col">Identities</th>
                <th scope="col">Pages</th>
                <th scope="col">Events</th>
                <th scope="col">Started</th>
                <th scope="col">Last activity</th>
                <th scope="col">First page</th>
                <th scope="col">Last page</th>
              </tr>
            </thead>
            <tbody>
              {visits.map((v) => (
                <VisitRow key={v.visitId} visit={v} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager label="Visit pages" keys={keys} setKeys={setKeys} next={next} />
    </section>
  );
}
