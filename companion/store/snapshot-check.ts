// What a snapshot file must look like before the companion starts on it.
import type { LabState } from '../engine';
import { FORMAT, type Snapshot } from './snapshot-file';

/** Formats this companion reads: 2 (one JSON document) and 3 (a record a line). */
const READABLE = [2, FORMAT];

const isTable = (v: unknown) => !!v && typeof v === 'object' && !Array.isArray(v);

/** Stretches that end in order, each after the last, the last at the file's recorded length. */
function rangesHoldTogether(ranges: unknown, bytes: number): boolean {
  if (!Array.isArray(ranges)) return false;
  let end = 0;
  for (const r of ranges) {
    if (!isTable(r) || !Number.isSafeInteger(r.end) || r.end <= end || typeof r.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(r.sha256)) return false;
    end = r.end;
  }
  return ranges.length === 0 ? bytes === 0 : end === bytes;
}

/**
 * A file that parses but is not what this companion wrote (another program's JSON, records
 * edited by hand) is refused here rather than failing later on reads. The check walks the
 * visits and identities, not every event: a per-event pass cost 0.2 s of start-up at 100,000.
 */
export function checkSnapshot(data: unknown): string | null {
  const d = data as Partial<Snapshot> | null;
  if (!d || typeof d !== 'object') return 'not an object';
  if (!READABLE.includes(d.format as number)) return `unknown format ${JSON.stringify(d.format)} (expected ${FORMAT})`;
  const ref = d.events;
  if (ref !== null && (!isTable(ref) || typeof ref!.file !== 'string' || !/^events-\d+\.jsonl$/.test(ref!.file) || typeof ref!.count !== 'number' || typeof ref!.bytes !== 'number')) {
    return 'the reference to its events file is malformed';
  }
  if (ref?.ranges !== undefined && !rangesHoldTogether(ref.ranges, ref.bytes)) return 'the checksums of its events file are malformed';
  const s = d.state as LabState | undefined;
  if (!s || typeof s.seq !== 'number') return 'no state.seq';
  for (const key of ['visits', 'pages', 'events', 'identities', 'sessions', 'contacts'] as const) {
    if (!isTable(s[key])) return `state.${key} is missing`;
  }
  if (!Array.isArray(s.identityOrder) || !Array.isArray(s.visitOrder)) return 'state order lists are missing';
  const has = (table: Record<string, unknown>, id: unknown) => typeof id === 'string' && Object.prototype.hasOwnProperty.call(table, id);
  for (const id of s.visitOrder) {
    const v = has(s.visits, id) ? s.visits[id] : undefined;
    if (!isTable(v) || v!.visitId !== id || !Array.isArray(v!.eventIds) || !Array.isArray(v!.pageIds) || !Array.isArray(v!.identities)) {
      return `visit ${id} is missing or malformed`;
    }
    if (!v!.identities.every((l) => isTable(l) && has(s.identities, l.identityId))) return `visit ${id} lists identities that are not there`;
  }
  for (const id of s.identityOrder) {
    const i = has(s.identities, id) ? s.identities[id] : undefined;
    if (!isTable(i) || !Array.isArray(i!.visitIds) || !i!.visitIds.every((v) => has(s.visits, v))) return `identity ${id} is missing or malformed`;
  }
  if (s.runs !== undefined) {
    if (!isTable(s.runs)) return 'state.runs is malformed';
    for (const [id, r] of Object.entries(s.runs)) {
      if (!isTable(r) || r.runId !== id || !Array.isArray(r.eventIds) || !Array.isArray(r.visitIds) || !Array.isArray(r.problems) || !Array.isArray(r.checks)) return `run ${id} is malformed`;
    }
  }
  if (s.activeRunId != null && !has(s.runs ?? {}, s.activeRunId)) return `the active run ${s.activeRunId} is not there`;
  return null;
}

/** The first event a visit lists that the events file does not hold, said as a problem. */
export function missingEvent(state: LabState): string | null {
  for (const visitId of state.visitOrder) {
    for (const id of state.visits[visitId].eventIds) {
      if (!Object.prototype.hasOwnProperty.call(state.events, id)) return `visit ${visitId} lists event ${id}, which is not there`;
    }
  }
  return null;
}
