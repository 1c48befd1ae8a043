import type { CaptureRecord } from '../../shared/capture';
import type { Delivery } from '../../shared/messages';
import { identityTransition } from '../model';

const SOURCE_LABEL: Record<CaptureRecord['source'], string> = { page: '_gt.push', lab: 'popup', tracker: 'tracker', rule: 'rule' };

// One formatter for every row: toLocaleTimeString builds a new one per call, which was most of
// a row's render time. Made on first use: building it loads locale data, which need not hold
// up the popup's start.
let formatter: Intl.DateTimeFormat | undefined;
const time = (ms: number) => (formatter ??= new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false })).format(ms);

function DeliveryBadge({ delivery }: { delivery: Delivery | undefined }) {
  const d = delivery ?? { state: 'queued' as const, at: 0 };
  const title = d.reason ?? (d.state === 'duplicate' ? 'the companion already had this eventID' : d.state);
  return (
    <>
      <span class={`badge delivery-${d.state}`} data-delivery={d.state} title={title}>
        {d.state}
        {d.state === 'rejected' && d.by === 'extension' ? ' (by the extension)' : ''}
      </span>
      {d.warning ? (
        <span class="badge delivery-warning" data-warning title={d.warning}>
          warning
        </span>
      ) : null}
    </>
  );
}

/**
 * The event's categories: as the companion stored them (its answer), else as the event was
 * sent. A # sign marks each, beside the colour.
 */
function EventCategories({ stored, sent }: { stored: string | undefined; sent: string | undefined }) {
  const names = (stored ?? sent ?? '').split(';').map((c) => c.trim()).filter((c) => c !== '');
  if (names.length === 0) return null;
  return (
    <span class="categories" data-categories={names.join(';')} role="group" aria-label={`Categories: ${names.join(', ')}`}>
      {names.map((name) => (
        <span key={name} class="badge category">
          <span aria-hidden="true">#</span>
          {name}
        </span>
      ))}
    </span>
  );
}

/** One `_gt` command (or system event): what was pushed, what it became, where it went. */
export function RecordRow({ record, deliveries }: { record: CaptureRecord; deliveries: Record<string, Delivery> }) {
  const transition = identityTransition(record);
  const cls = ['record', `outcome-${record.outcome}`, transition ? `transition transition-${transition.eventName}` : ''];
  return (
    <li class={cls.join(' ')} data-outcome={record.outcome} data-source={record.source} data-transition={transition?.eventName}>
      <div class="record-head">
        <span class="time">{time(record.at)}</span>
        {transition ? <span class="marker">{transition.eventName}</span> : null}
        <span class="source">{SOURCE_LABEL[record.source]}</span>
        {record.command !== null ? <code class="command">{JSON.stringify(record.command)}</code> : null}
      </div>
      {record.outcome === 'rejected' ? (
        <div class="reason" data-rejected>
          rejected: {record.reason}
        </div>
      ) : null}
      {record.warning ? (
        <div class="reason warning" data-record-warning>
          warning: {record.warning}
        </div>
      ) : null}
      {record.outcome === 'getIDs' || record.outcome === 'config' ? (
        <div class="muted">
          {record.outcome}
          {record.reason ? `: ${record.reason}` : ''}
        </div>
      ) : null}
      {record.events.map((ev) => (
        <div class="event" key={ev.eventID} data-event={ev.eventName} data-event-id={ev.eventID}>
          <span class={`event-type ${ev.eventType.toLowerCase()}`}>{ev.eventType}</span> <strong>{ev.eventName}</strong>
          {ev.data && Object.keys(ev.data).length ? <code class="data">{JSON.stringify(ev.data)}</code> : null}
          <DeliveryBadge delivery={deliveries[ev.eventID]} />
          <EventCategories stored={deliveries[ev.eventID]?.category} sent={ev.category} />
          {deliveries[ev.eventID]?.state === 'rejected' ? <div class="reason">{deliveries[ev.eventID].reason}</div> : null}
          {deliveries[ev.eventID]?.warning ? <div class="reason warning" data-warning-reason>warning: {deliveries[ev.eventID].warning}</div> : null}
        </div>
      ))}
    </li>
  );
}
