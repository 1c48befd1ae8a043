// Each event is turned into JSON once: the journal line embeds that text, the state keeps
// it (with the visitor state the engine gave the event), and the snapshot's events file
// takes it as is. Stringifying every event a second time at snapshot time was a tenth of
// the companion's CPU under steady intake.
import type { StoredEvent, VisitorState } from '../../protocol';
import type { JournalRecord } from '../engine';

/** The event as JSON; `visitorState` (computed by the engine on apply) comes last. */
export function eventText(ev: StoredEvent): string {
  return JSON.stringify(ev);
}

/** One journal line for the record, embedding the events' texts when given. */
export function recordText(record: JournalRecord, texts: string[] | null): string {
  const { op } = record;
  if (op.kind !== 'events' || !texts) return JSON.stringify(record);
  const run = op.runId === undefined ? '' : `,"runId":${JSON.stringify(op.runId)}`; // the run membership replays too
  return `{"seq":${record.seq},"op":{"kind":"events","userAgent":${JSON.stringify(op.userAgent)}${run},"events":[${texts.join(',')}]}}`;
}

const SUFFIX: Record<VisitorState, string> = {
  Anonymous: ',"visitorState":"Anonymous"}',
  Recognized: ',"visitorState":"Recognized"}',
  Authenticated: ',"visitorState":"Authenticated"}',
};
const SUFFIXES = Object.values(SUFFIX);

/**
 * The event's text as stored once applied: the text written to the journal (which carries the
 * state the event arrived with; the engine recomputes it on replay) with the visitor state
 * the engine gave it.
 */
export function storedText(journalText: string, ev: StoredEvent): string {
  const now = SUFFIX[ev.visitorState];
  if (now && journalText.endsWith(now)) return journalText; // most events: no copy
  const old = SUFFIXES.find((suffix) => journalText.endsWith(suffix));
  if (old && now) return journalText.slice(0, -old.length) + now;
  return JSON.stringify(ev); // an event whose keys came in another order
}
