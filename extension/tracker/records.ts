// The capture records the tracker hands its host: one per command or system moment, numbered in
// the page view's order, with what the page pushed and the ids after it. Nothing here may throw
// into the page.
import type { CaptureRecord, CaptureSource } from '../shared/capture';
import { LOGGED } from './build-flags';
import type { Command, TrackerConfig } from './commands';
import type { TrackerHost } from './tracker';
import type { VisitIds } from './visit-ids';

/** A record of `cmd` (its events added by the caller), stamped `at`. */
export type MakeRecord = (source: CaptureSource, command: unknown, at: number, cmd: Partial<Command>) => CaptureRecord;
/** Numbers a record, logs it to the console where it should be, and hands it to the host. */
export type Deliver = (record: CaptureRecord, leaving?: boolean, raw?: unknown) => void;

const outcomeOf = (source: CaptureSource, cmd: Partial<Command>): CaptureRecord['outcome'] =>
  (cmd.kind === 'event' ? (source === 'tracker' ? 'system' : 'event') : cmd.kind) as CaptureRecord['outcome'];

export function trackerRecords(win: Window, host: TrackerHost, config: TrackerConfig, visit: VisitIds): [MakeRecord, Deliver] {
  const [, , ids] = visit;
  let seq = 0;
  // A ternary, so that GPE.min.js (no log, no describe) folds it away.
  const describe = LOGGED
    ? (command: unknown): unknown => {
        try {
          return host.describe!(command);
        } catch {
          return '(unreadable)';
        }
      }
    : undefined;

  const record: MakeRecord = LOGGED
    ? (source, command, at, cmd) => ({
        seq: 0,
        at,
        source,
        command: source !== 'tracker' && host.describe ? describe!(command) : null,
        form: cmd.form,
        outcome: outcomeOf(source, cmd),
        reason: cmd.kind === 'rejected' ? cmd.reason : undefined,
        warning: cmd.kind === 'event' ? cmd.warning : undefined,
        events: [],
        ids: ids(),
        page: { url: win.location.href, title: win.document.title },
      })
    : // GPE.min.js keeps no log: its host reads a record's events, the console its outcome and reason.
      (source, _command, _at, cmd) => ({ outcome: outcomeOf(source, cmd), reason: cmd.kind === 'rejected' ? cmd.reason : undefined, events: [] }) as unknown as CaptureRecord;

  const deliver: Deliver = (rec, leaving = false, raw) => {
    rec.seq = ++seq;
    try {
      // Inside the try: a page may have replaced console with something that throws.
      if (rec.outcome === 'rejected') console.warn('[_gt] rejected:', rec.reason, raw);
      else if (LOGGED && rec.warning) console.warn('[_gt]', rec.warning, raw);
      else if (config.debug) console.debug('[_gt]', rec.outcome, rec.events, raw);
    } catch {
      // ignored
    }
    try {
      host.emit(rec, config, leaving);
    } catch {
      // A host failure must not reach the page.
    }
  };

  return [record, deliver];
}
