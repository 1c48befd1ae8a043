// Turns each command (the page's, the popup's, a rule's) into what it does: an event (a SignIn
// opening a session, a SignOut ending it), a config, a getIDs answer or a rejection, each
// recorded. Nothing here may throw into the page.
import { TRANSITIONS } from '../../protocol/event-names';
import { missingIdentifier } from '../../protocol/identifiers';
import type { CaptureSource } from '../shared/capture';
import { parseCommand, type Command, type TrackerConfig } from './commands';
import type { PageView } from './page-view';
import type { MakeRecord } from './records';
import type { VisitIds } from './visit-ids';

/** What a command asks for; a rule's ([, name, data, note]) is always a business event. */
export function readCommand(command: unknown, source: CaptureSource): Command {
  try {
    return source === 'rule'
      ? // A rule raises a business event, whatever its name.
        {
          kind: 'event',
          form: 'rule',
          eventType: 'BUSINESS',
          eventName: String((command as unknown[])[1]),
          data: ((command as unknown[])[2] as Record<string, unknown>) || {},
          warning: (command as unknown[])[3] as string | undefined,
        }
      : parseCommand(command);
  } catch (e) {
    return { kind: 'rejected', reason: `unreadable command (${(e as Error)?.message})` };
  }
}

/** Runs commands; the function it returns never throws. `loadRules` fetches a dslResource. */
export function dispatcher(
  visit: VisitIds,
  view: PageView,
  config: TrackerConfig,
  record: MakeRecord,
  loadRules: (url: string) => void,
): (command: unknown, source: CaptureSource) => void {
  const [, , ids, , openSession, closeSession] = visit;
  const [event, emit] = view;
  const run = (command: unknown, source: CaptureSource): void => {
    const at = Date.now();
    const cmd = readCommand(command, source);
    const rec = record(source, command, at, cmd);
    if (cmd.kind === 'event') {
      const ev = event(cmd.eventType, cmd.eventName, cmd.data, at);
      // By name alone: commands.ts makes every event of these names SYSTEM (a rule's too: rules
      // push ['event', name]), so this agrees with the companion, which reads SYSTEM ones only.
      const transition = TRANSITIONS[cmd.eventName];
      if (transition === 'session-open' && !missingIdentifier(cmd.eventName, cmd.data)) {
        // Each SignIn opens a new session (contract section 3); one naming no one opens none,
        // as in the companion.
        ev.sessionID = openSession();
      } else if (transition === 'session-close') closeSession();
      rec.events.push(ev);
      rec.ids = ids();
    } else if (cmd.kind === 'config') {
      const dsl = !config.dslResource && cmd.config.dslResource;
      Object.assign(config, cmd.config);
      if (dsl) loadRules(dsl);
    } else if (cmd.kind === 'getIDs') {
      try {
        cmd.callback(ids());
      } catch (e) {
        rec.reason = `the getIDs callback threw: ${(e as Error)?.message}`;
      }
    }
    emit(rec, false, command);
  };
  return (command, source) => {
    try {
      run(command, source);
    } catch {
      // Never into the page.
    }
  };
}
