// One visit in the list: its state, who, where it began and where it is now.
import type { LabVisitSummary } from '../../server/lab-visits';
import { dateTime } from '../shared/format';
import { identityHref, visitHref } from '../shared/router';
import { StateBadge } from '../shared/StateBadge';

function PageCell({ page }: { page: LabVisitSummary['firstPage'] }) {
  if (!page) return <span class="muted">none</span>;
  return (
    <span class="page-ref" title={page.url ?? ''}>
      {page.title || page.url || <span class="muted">untitled</span>}
      {page.title && page.url && <span class="url">{page.url}</span>}
    </span>
  );
}

export function VisitRow({ visit }: { visit: LabVisitSummary }) {
  return (
    <tr data-visit-id={visit.visitId}>
      <th scope="row">
        <a href={visitHref(visit.visitId)} class="mono">
          {visit.visitId}
        </a>
        {visit.endDate === 0 ? <span class="tag">open</span> : <span class="tag ended">ended</span>}
      </th>
      <td>
        <StateBadge state={visit.visitorState} />
      </td>
      <td>
        {visit.identityIds.length === 0 ? (
          <span class="muted">none</span>
        ) : (
          visit.identityIds.map((id) => (
            <a key={id} href={identityHref(id)} class="identity">
              {id}
            </a>
          ))
        )}
      </td>
      <td class="num">{visit.pageCount}</td>
      <td class="num">{visit.eventCount}</td>
      <td>
        <time dateTime={new Date(visit.startDate).toISOString()}>{dateTime(visit.startDate)}</time>
      </td>
      <td>
        <time dateTime={new Date(visit.lastActivity).toISOString()}>{dateTime(visit.lastActivity)}</time>
      </td>
      <td>
        <PageCell page={visit.firstPage} />
      </td>
      <td>
        <PageCell page={visit.lastPage} />
      </td>
    </tr>
  );
}
