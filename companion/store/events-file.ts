// The snapshot's events, one line each beside the lowdb snapshot: `<eventID as JSON>\t<event
// as JSON>`. Start-up reads the file a chunk at a time and indexes the lines without parsing
// the events (the engine's eventOf parses one when it is first read): parsing every event up
// front was most of the start-up time at 100,000 events. Each stretch of the file a snapshot
// wrote carries a SHA-256, so a flipped byte is found at start-up, not as a 500 on some read.
import { createHash } from 'node:crypto';
import { open, readdir, rename, rm, truncate, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { StoredEvent } from '../../protocol';
import { CorruptDataError } from './errors';
import { fsyncDir } from './fsync';
import { ChunkWriter, forEachLine } from './lines';

export interface EventsFileRef {
  /** File name inside the data directory. */
  file: string;
  count: number;
  bytes: number;
  /**
   * One entry per write (the first snapshot's, then each append): where it ends and the
   * SHA-256 of its bytes. Absent in files written before checksums (snapshot format 2).
   */
  ranges?: { end: number; sha256: string }[];
}

/** An id JSON writes as is between quotes: no quote, backslash, control or non-ASCII character. */
const PLAIN_ID = /^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/;

/**
 * The events to write: the table, or the rows taken from it when the snapshot was captured
 * (one per id, in order): a forget may delete events from the table while the file is written.
 */
export type EventRows = Record<string, StoredEvent | string> | readonly (StoredEvent | string)[];

/**
 * Writes event lines to an open file a chunk at a time; returns what was written and its
 * checksum. Stored events never change, so the awaits here cannot see one half-changed.
 */
async function writeLines(fh: FileHandle, ids: Iterable<string>, events: EventRows): Promise<{ count: number; bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  const out = new ChunkWriter(fh, (b) => hash.update(b));
  let count = 0;
  const taken = Array.isArray(events) ? (events as readonly (StoredEvent | string)[]) : null;
  for (const id of ids) {
    const row = taken ? taken[count] : (events as Record<string, StoredEvent | string>)[id];
    // Most ids need no escape: quoting them by hand skips a JSON.stringify per line.
    const idJson = PLAIN_ID.test(id) ? `"${id}"` : JSON.stringify(id);
    if (out.push(`${idJson}\t${typeof row === 'string' ? row : JSON.stringify(row)}\n`)) await out.flush();
    count++;
  }
  await out.flush();
  await fh.datasync();
  return { count, bytes: out.bytes, sha256: hash.digest('hex') };
}

/** Writes all the events to a new file (temp, fsync, rename): the snapshot then points at it. */
export async function writeEventsFile(dir: string, seq: number, ids: string[], events: EventRows): Promise<EventsFileRef> {
  const name = `events-${String(seq).padStart(12, '0')}.jsonl`;
  const tmp = path.join(dir, `.${name}.tmp`);
  const fh = await open(tmp, 'w');
  let written: { count: number; bytes: number; sha256: string };
  try {
    written = await writeLines(fh, ids, events);
  } catch (e) {
    await fh.close();
    await rm(tmp, { force: true });
    throw e;
  }
  await fh.close();
  await rename(tmp, path.join(dir, name));
  await fsyncDir(dir);
  return { file: name, count: written.count, bytes: written.bytes, ranges: written.bytes ? [{ end: written.bytes, sha256: written.sha256 }] : [] };
}

/**
 * Appends the given events to the last snapshot's events file. That snapshot reads only the
 * bytes it recorded, so it stays whole whatever happens here; anything a failed append left
 * past those bytes is cut first.
 */
export async function appendEventsFile(dir: string, ref: EventsFileRef, ids: string[], events: EventRows): Promise<EventsFileRef> {
  const file = path.join(dir, ref.file);
  await truncate(file, ref.bytes);
  const fh = await open(file, 'a');
  try {
    const appended = await writeLines(fh, ids, events);
    const bytes = ref.bytes + appended.bytes;
    // A file from before checksums stays without them (its first stretch has none).
    const ranges = ref.ranges && (appended.bytes ? [...ref.ranges, { end: bytes, sha256: appended.sha256 }] : ref.ranges);
    return { file: ref.file, count: ref.count + appended.count, bytes, ...(ranges ? { ranges } : {}) };
  } finally {
    await fh.close();
  }
}

/** Checks each stretch of the file against its checksum as the bytes go by. */
function rangeChecker(file: string, ref: EventsFileRef): { onBytes: (b: Buffer) => void; done: () => void } {
  const ranges = ref.ranges ?? [];
  let i = 0;
  let pos = 0;
  let rangeStart = 0;
  let hash = createHash('sha256');
  const close = () => {
    const r = ranges[i];
    if (hash.digest('hex') !== r.sha256) {
      throw new CorruptDataError(file, `bytes ${rangeStart} to ${r.end} do not match their checksum (changed on disk since they were written)`);
    }
    rangeStart = r.end;
    i++;
    hash = createHash('sha256');
  };
  return {
    onBytes(b) {
      if (i >= ranges.length) return;
      let at = 0;
      while (at < b.length && i < ranges.length) {
        const take = Math.min(b.length - at, ranges[i].end - pos);
        hash.update(b.subarray(at, at + take));
        at += take;
        pos += take;
        if (pos === ranges[i].end) close();
      }
    },
    done() {
      if (ranges.length && (i < ranges.length || ranges[ranges.length - 1].end !== ref.bytes)) {
        throw new CorruptDataError(file, 'its checksums do not cover the length the snapshot recorded');
      }
    },
  };
}

/** Reads the events file a snapshot names, checking it is whole; events stay unparsed. */
export async function readEventsFile(dir: string, ref: EventsFileRef): Promise<Record<string, string>> {
  const file = path.join(dir, ref.file);
  const events: Record<string, string> = {};
  let count = 0;
  const bad = (n: number, what = 'is not an event line') => new CorruptDataError(file, `line ${n} ${what}`);
  const onLine = (line: string, n: number) => {
    const tab = line.indexOf('\t');
    const idJson = tab < 0 ? '' : line.slice(0, tab);
    const wellFormed =
      idJson.length >= 2 && idJson.startsWith('"') && idJson.endsWith('"') &&
      line.charCodeAt(tab + 1) === 0x7b /* { */ && line.charCodeAt(line.length - 1) === 0x7d; /* } */
    if (!wellFormed) throw bad(n);
    // The id is a JSON string; without escapes it is just what lies between the quotes.
    let id: string;
    try {
      id = idJson.includes('\\') ? (JSON.parse(idJson) as string) : idJson.slice(1, -1);
    } catch {
      throw bad(n);
    }
    if (id === '__proto__') throw bad(n, 'has an id that cannot be a key');
    if (Object.prototype.hasOwnProperty.call(events, id)) throw bad(n, `repeats event ${id}`);
    events[id] = line.slice(tab + 1);
    count++;
  };
  const check = rangeChecker(file, ref);
  let read;
  try {
    // Bytes past the recorded length are an append a crash interrupted: not this snapshot's.
    read = await forEachLine(file, onLine, { limit: ref.bytes, onBytes: check.onBytes });
  } catch (e) {
    if (e instanceof CorruptDataError) throw e;
    throw new CorruptDataError(file, `the snapshot's events file cannot be read (${(e as Error).message})`);
  }
  if (read.bytes < ref.bytes) throw new CorruptDataError(file, `${read.bytes} bytes where the snapshot recorded ${ref.bytes}`);
  if (read.tail) throw bad(count + 1);
  check.done();
  if (count !== ref.count) throw new CorruptDataError(file, `${count} events where the snapshot recorded ${ref.count}`);
  return events;
}

/** Deletes one events file (one a failed snapshot made). */
export async function removeEventsFile(dir: string, name: string): Promise<void> {
  await rm(path.join(dir, name), { force: true });
  await fsyncDir(dir);
}

/** Deletes the events files of older snapshots (and temp files a crash left behind). */
export async function removeEventsFilesExcept(dir: string, keep: string): Promise<void> {
  for (const name of await readdir(dir)) {
    if (name !== keep && /^\.?events-\d+\.jsonl(\.tmp)?$/.test(name)) await rm(path.join(dir, name), { force: true });
  }
}
