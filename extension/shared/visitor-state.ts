// The visitor state from a tab's own records: what the popup shows when the companion cannot
// be asked. Computed by the worker over the whole log (the popup may hold only the newest records).
import { identityTransitionOf, namedIdentifier, systemEvent } from '../../protocol/event-names';
import type { VisitorState } from '../../protocol/events';
import type { CaptureRecord } from './capture';

/**
 * The visitor state as this tab's own events tell it (contract section 3): what the popup shows
 * when the companion cannot be asked. Authenticated while a session is open; else Recognized
 * after a UserInfo in the visit; else Anonymous.
 */
export function localVisitorState(records: CaptureRecord[], visitID: string): VisitorState {
  const events = records
    .flatMap((r) => r.events)
    .filter((e) => e.visitID === visitID)
    .sort((a, b) => a.timestamp - b.timestamp);
  let session = false;
  let userInfo = false;
  for (const e of events) {
    const transition = identityTransitionOf(e);
    if (!transition) continue;
    const effect = systemEvent(transition)!.transition;
    // One naming no one changes nothing, as in the companion and the picture (contract section 1).
    if (effect !== 'session-close' && !namedIdentifier(transition, e.data)) continue;
    if (effect === 'session-open') session = true;
    else if (effect === 'session-close') session = false;
    else userInfo = true;
  }
  return session ? 'Authenticated' : userInfo ? 'Recognized' : 'Anonymous';
}
