// Accessible names and the signs that stand beside colour (letters, icons, "!"): what the
// picture says about a mark, a segment, a bar or a session, in words.
import type { VisitorState } from '../../protocol/events';
import { formatDuration, formatTime } from './format';
import type { Mark, MarkKind, PageBar } from './model';
import type { SessionSpan, StateSegment } from './states';

/** The letter on a mark (its shape tells the same: circle, diamond, dashed square). */
export const KIND_LETTER: Record<MarkKind, string> = { system: 'S', business: 'B', command: 'C' };
export const KIND_TEXT: Record<MarkKind, string> = {
  system: 'system event',
  business: 'business event',
  command: 'command without event',
};

/** The icon written before a state's name on the band. */
export const STATE_ICON: Record<VisitorState, string> = { Anonymous: '○', Recognized: '◐', Authenticated: '●' };
/** A state's name where the whole one does not fit. */
export const STATE_SHORT: Record<VisitorState, string> = { Anonymous: 'Anon', Recognized: 'Rec', Authenticated: 'Auth' };

export function markLabel(m: Mark, bar?: PageBar): string {
  const parts = [m.name, KIND_TEXT[m.kind], formatTime(m.at), m.deliveryText];
  if (m.rejected && m.moment.delivery?.reason) parts.push(`reason: ${m.moment.delivery.reason}`);
  else if (m.rejected && m.moment.command?.reason) parts.push(`reason: ${m.moment.command.reason}`);
  if (m.warning) parts.push('with a warning');
  parts.push(m.stateBefore === m.stateAfter ? `state ${m.stateAfter}` : `state ${m.stateBefore} to ${m.stateAfter}`);
  if (bar) parts.push(`page ${bar.title}`);
  return parts.join(', ');
}

export function segmentLabel(s: StateSegment): string {
  const who = s.identity ? ` (${s.identity})` : '';
  return `${s.state}${who} from ${formatTime(s.start)} to ${formatTime(s.end)}, after ${s.cause.label}`;
}

export function barLabel(b: PageBar): string {
  const n = b.marks.length;
  const parts = [`Page view ${b.title}`, `${formatTime(b.start)} to ${formatTime(b.end)}`, `${n} moment${n === 1 ? '' : 's'}`];
  if (b.rejected) parts.push(`${b.rejected} rejected`);
  if (b.open) parts.push(b.entered ? 'not exited' : 'no PageEntered, no PageExited');
  return parts.join(', ');
}

export function sessionLabel(s: SessionSpan): string {
  const who = s.identity ? ` of ${s.identity}` : '';
  const until = s.open ? 'still open' : `to ${formatTime(s.end)} (${formatDuration(s.end - s.start)})`;
  return `Session ${s.sessionID}${who}, from ${formatTime(s.start)} ${until}`;
}
