import type { VisitorState } from '../../../protocol/events';

const HINT: Record<VisitorState, string> = {
  Anonymous: 'neither signed in nor recognized',
  Recognized: 'came back with a cookie-based userId (UserInfo)',
  Authenticated: 'signed in: a session is open',
};

/** The visitor's state; `source` says whether the companion said it or the tab's own events. */
export function StateBadge({ state, source }: { state: VisitorState; source: 'companion' | 'local' }) {
  return (
    <div class="state">
      <span id="visitor-state" class={`badge state-${state.toLowerCase()}`} data-state={state} data-source={source} title={HINT[state]}>
        {state}
      </span>
      <span class="muted">
        {HINT[state]}
        {source === 'local' ? ' (from this tab; the companion could not be asked)' : ''}
      </span>
    </div>
  );
}
