import type { CompanionStatus as Status } from '../../shared/messages';

/** Whether the companion answers, lets the extension read, and how many events wait for it. */
export function CompanionStatus({ status, waiting }: { status: Status; waiting: number }) {
  const down = status.reachable === false;
  const cls = down || status.auth ? 'status down' : 'status';
  return (
    <div id="companion-status" class={cls} data-reachable={String(status.reachable)} data-auth={status.auth ?? ''} data-waiting={waiting} role="status">
      {down ? (
        <span>
          <strong>⚠ Companion unreachable</strong> at {status.url} ({status.error}). Start it with <code>npm start</code>; events wait
          and are sent when it is back.
        </span>
      ) : status.auth ? (
        <span id="companion-auth">
          <strong>⚠ {status.auth === 'missing' ? 'The companion asks for credentials' : 'The companion refused the user and password'}</strong>{' '}
          (it runs with --auth). Set them under "Companion settings" below; until then the state shown is this tab's own, and no
          event is lost.
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
