// A visitor state as text with a shape beside it: colour is never the only signal.
import type { VisitorState } from '../../../protocol/events';

const SHAPE: Record<VisitorState, string> = { Anonymous: '○', Recognized: '◐', Authenticated: '●' };

export function StateBadge({ state }: { state: VisitorState }) {
  return (
    <span class={`state state-${state}`}>
      <span aria-hidden="true">{SHAPE[state]} </span>
      {state}
    </span>
  );
}
