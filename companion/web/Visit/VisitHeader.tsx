// What the History API says of the visit itself, as a definition list.
import type { VisitResource } from '../../../protocol/resources';
import { dateTime } from '../shared/format';
import { identityHref } from '../shared/router';
import { StateBadge } from '../shared/StateBadge';

export function VisitHeader({ visit, pageCount, eventCount }: { visit: VisitResource; pageCount: number; eventCount: number }) {
  return (
    <dl class="facts">
      <div>
        <dt>Visitor state</dt>
        <dd data-testid="visit-state">
          <StateBadge state={visit.visitorState} />
        </dd>
      </div>
      <div>
        <dt>Identities</dt>
        <dd>
          {visit.identityIds.length === 0
            ? 'none'
            : visit.identityIds.map((id) => (
                <a key={id} class="identity" href={identityHref(id)}>
                  {id}
                </a>
              ))}
        </dd>
      </div>
      <div>
        <dt>Active session</dt>
        <dd class="mono">{visit.activeSessionId ?? 'none'}</dd>
      </div>
      <div>
        <dt>Started</dt>
        <dd>{dateTime(visit.startDate)}</dd>
      </div>
      <div>
        <dt>Ended</dt>
        <dd>{visit.endDate ? dateTime(visit.endDate) : 'open'}</dd>
      </div>
      <div>
        <dt>Pages · events</dt>
        <dd>
          {pageCount} · {eventCount}
        </dd>
      </div>
      <div>
        <dt>globalVisitID</dt>
        <dd class="mono">{visit.globalVisitID}</dd>
      </div>
      <div class="wide">
        <dt>User agent</dt>
        <dd>{visit.userAgent ?? 'unknown'}</dd>
      </div>
    </dl>
  );
}
