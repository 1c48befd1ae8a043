import type { CompanionStatus as Status } from '../../shared/messages';

/** Whether the companion answers, and how many events wait for it. */
export function CompanionStatus({ status, waiting }: { status: Status; waiting: number }) {
  const down = status.reachable === false;
  return (
    <div id="companion-status" class={down ? 'status down' : 'status'} data-reachable={String(status.reachable)} data-waiting={waiting}>
      {down ? (
        <span>
          <strong>Companion unreachable</strong> at {status.url} ({status.error}). Start it with <code>npm start</code>; events wait
          and are sent when it is back.
        </span>
      ) : (
        <span>
          Companion {status.url}
          {status.error ? ` (${status.error})` : ''}
        </span>
      )}
      <span id="waiting" class="waiting">
        {waiting === 0 ? 'nothing waiting' : `${waiting} event${waiting === 1 ? '' : 's'} waiting`}
      </span>
    </div>
  );
}
