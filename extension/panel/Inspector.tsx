import type { Moment } from '../../ui/timeline';

const json = (v: unknown) => JSON.stringify(v, null, 2);

/** Everything about the selected moment, beside the picture. */
export function Inspector({ moment }: { moment: Moment | null }) {
  if (!moment) {
    return (
      <aside id="inspector" class="inspector" aria-label="Inspector">
        <p class="muted">Select a mark (click it, or Tab to the picture, arrows, Enter) to see its command, event and answer.</p>
      </aside>
    );
  }
  const name = moment.event?.eventName ?? `${moment.command?.outcome ?? 'command'} (no event)`;
  return (
    <aside id="inspector" class="inspector" aria-label="Inspector" data-key={moment.key}>
      <h2>{name}</h2>
      <p class="muted">
        {new Date(moment.at).toISOString()} · page {moment.title || moment.url || moment.pageID}
      </p>
      {moment.delivery ? (
        <p data-delivery={moment.delivery.state}>
          delivery: <strong>{moment.delivery.state}</strong>
          {moment.delivery.reason ? ` (${moment.delivery.reason})` : ''}
          {moment.delivery.warning ? `; warning: ${moment.delivery.warning}` : ''}
        </p>
      ) : null}
      {moment.command ? (
        <>
          <h3>Command ({moment.command.source})</h3>
          {moment.command.reason ? <p class="rejected">✖ {moment.command.reason}</p> : null}
          <pre>{json(moment.command.raw)}</pre>
        </>
      ) : null}
      {moment.event ? (
        <>
          <h3>Event</h3>
          <pre>{json(moment.event)}</pre>
        </>
      ) : null}
    </aside>
  );
}
