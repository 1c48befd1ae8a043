import { useMemo, useState } from 'preact/hooks';
import type { CaptureRecord } from '../../shared/capture';
import type { Delivery } from '../../shared/messages';
import { filterGroups, groupByPage } from '../model';
import { PageGroup } from './PageGroup';

/** The tab's timeline: page views newest first, each with its commands, events and deliveries. */
export function Timeline(props: { records: CaptureRecord[]; deliveries: Record<string, Delivery>; pageID?: string }) {
  const [filter, setFilter] = useState('');
  const groups = useMemo(() => groupByPage(props.records), [props.records]);
  const shown = filterGroups(groups, props.deliveries, filter);
  return (
    <div id="timeline">
      <input
        id="timeline-filter"
        type="search"
        placeholder="Filter: command, event, data, state…"
        value={filter}
        onInput={(e) => setFilter((e.target as HTMLInputElement).value)}
      />
      {shown.length === 0 ? (
        <p class="muted">{groups.length === 0 ? 'Nothing captured on this tab yet.' : 'Nothing matches the filter.'}</p>
      ) : (
        shown.map((g) => <PageGroup key={g.pageID} group={g} deliveries={props.deliveries} current={g.pageID === props.pageID} />)
      )}
    </div>
  );
}
