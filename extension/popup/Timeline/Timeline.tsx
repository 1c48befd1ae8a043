import { useMemo } from 'preact/hooks';
import type { CaptureRecord } from '../../shared/capture';
import type { Delivery } from '../../shared/messages';
import { capGroups, filterGroups, groupByPage, recordCount } from '../model';
import { PageGroup } from './PageGroup';

/** Records rendered at first: more than the popup's first screen holds, few enough to be quick. */
export const TIMELINE_PAGE = 20;
/** Records each "Show older" adds. */
export const TIMELINE_MORE = 100;

interface Props {
  /** The newest records of the log (or all of them while filtering). */
  records: CaptureRecord[];
  /** Records in the tab's whole log. */
  total: number;
  deliveries: Record<string, Delivery>;
  pageID?: string;
  filter: string;
  onFilter: (filter: string) => void;
  /** How many records to render. */
  limit: number;
  onMore: () => void;
  /** Draw the filter box (default true); false where the window has its own (the panel). */
  filterBox?: boolean;
}

/** The tab's timeline: page views newest first, each with its commands, events and deliveries. */
export function Timeline(props: Props) {
  const groups = useMemo(() => groupByPage(props.records), [props.records]);
  const filtering = props.filter.trim() !== '';
  // A filter searches the whole log: until it has come, say so rather than "nothing matches".
  const searching = filtering && props.records.length < props.total;
  const matching = filterGroups(groups, props.deliveries, props.filter);
  const { groups: shown, count } = capGroups(matching, props.limit);
  const older = (filtering ? recordCount(matching) : props.total) - count;
  return (
    <div id="timeline" data-total={props.total} data-shown={count}>
      {props.filterBox === false ? null : (
        <input
          id="timeline-filter"
          type="search"
          aria-label="Filter the timeline"
          placeholder="Filter: command, event, data, state…"
          value={props.filter}
          onInput={(e) => props.onFilter((e.target as HTMLInputElement).value)}
        />
      )}
      {searching ? (
        <p class="muted">Searching the whole log…</p>
      ) : shown.length === 0 ? (
        <p class="muted">{props.total === 0 ? 'Nothing captured on this tab yet.' : filtering ? 'Nothing matches the filter.' : 'Loading…'}</p>
      ) : (
        shown.map((g) => <PageGroup key={g.pageID} group={g} deliveries={props.deliveries} current={g.pageID === props.pageID} />)
      )}
      {older > 0 && !searching ? (
        <button id="timeline-more" type="button" onClick={props.onMore}>
          Show {Math.min(older, TIMELINE_MORE)} older ({older} not shown)
        </button>
      ) : null}
    </div>
  );
}
