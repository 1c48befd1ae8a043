// The snapshot's events, one line each beside the lowdb snapshot: `<eventID as JSON>\t<event
// as JSON>`. Start-up reads the file and indexes the lines without parsing the events (the
// engine's eventOf parses one when it is first read): parsing every event up front was most
// of the start-up time at 100,000 events.
import { open, readdir, readFile, rename, rm, truncate, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { StoredEvent } from '../../protocol';
import { CorruptDataError } from './errors';
import { fsyncDir } from './fsync';

export interface EventsFileRef {
  /** File name inside the data directory. */
  file: string;
  count: number;
  bytes: number;
}

const CHUNK = 1 << 20;

/**
 * Writes event lines to an open file a chunk at a time; returns the bytes written. Nothing
 * changes the events between the awaits here but eventOf, which only swaps a line for its
 * parsed form.
 */
async function writeLines(fh: FileHandle, ids: Iterable<string>, events: Record<string, StoredEvent | string>): Promise<{ count: number; bytes: number }> {
  let count = 0;
  let bytes = 0;
  let chunk: string[] = [];
  let size = 0;
  const flush = async () => {
    const buf = Buffer.from(chunk.join(''), 'utf8');
    await fh.write(buf);
    bytes += buf.length;
    chunk = [];
    size = 0;
  };
  for (const id of ids) {
    const row = events[id];
    const line = `${JSON.stringify(id)}\t${typeof row === 'string' ? row : JSON.stringify(row)}\n`;
    chunk.push(line);
    size += line.length;
    count++;
    if (size >= CHUNK) await flush();
  }
  await flush();
  await fh.datasync();
  return { count, bytes };
}

/** Writes all the events to a new file (temp, fsync, rename): the snapshot then points at it. */
export async function writeEventsFile(dir: string, seq: number, events: Record<string, StoredEvent | string>): Promise<EventsFileRef> {
  const name = `events-${String(seq).padStart(12, '0')}.jsonl`;
  const tmp = path.join(dir, `.${name}.tmp`);
  const fh = await open(tmp, 'w');
  let written: { count: number; bytes: number };
  try {
    written = await writeLines(fh, Object.keys(events), events);
  } finally {
    await fh.close();
  }
  await rename(tmp, path.join(dir, name));
  await fsyncDir(dir);
  return { file: name, ...written };
}

/**
 * Appends the given events to the last snapshot's events file. That snapshot reads only the
 * bytes it recorded, so it stays whole whatever happens here; anything a failed append left
 * past those bytes is cut first.
 */
export async function appendEventsFile(dir: string, ref: EventsFileRef, ids: string[], events: Record<string, StoredEvent | string>): Promise<EventsFileRef> {
  const file = path.join(dir, ref.file);
  await truncate(file, ref.bytes);
  const fh = await open(file, 'a');
  try {
    const appended = await writeLines(fh, ids, events);
    return { file: ref.file, count: ref.count + appended.count, bytes: ref.bytes + appended.bytes };
  } finally {
    await fh.close();
  }
}

/** Reads the events file a snapshot names, checking it is whole; events stay unparsed. */
export async function readEventsFile(dir: string, ref: EventsFileRef): Promise<Record<string, string>> {
  const file = path.join(dir, ref.file);
  let buf: Buffer;
  try {
    buf = await readFile(file);
  } catch (e) {
    throw new CorruptDataError(file, `the snapshot's events file cannot be read (${(e as Error).message})`);
  }
  // Bytes past the recorded length are an append a crash interrupted: not this snapshot's.
  if (buf.length < ref.bytes) throw new CorruptDataError(file, `${buf.length} bytes where the snapshot recorded ${ref.bytes}`);
  const text = buf.toString('utf8', 0, ref.bytes);
  const events: Record<string, string> = {};
  let count = 0;
  let start = 0;
  while (start < text.length) {
    const end = text.indexOf('\n', start);
    const tab = text.indexOf('\t', start);
    const idJson = end < 0 || tab < 0 || tab > end ? '' : text.slice(start, tab);
    const wellFormed =
      idJson.length >= 2 && idJson.startsWith('"') && idJson.endsWith('"') &&
      text.charCodeAt(tab + 1) === 0x7b /* { */ && text.charCodeAt(end - 1) === 0x7d; /* } */
    if (!wellFormed) throw new CorruptDataError(file, `line ${count + 1} is not an event line`);
    // The id is a JSON string; without escapes it is just what lies between the quotes.
    let id: string;
    try {
      id = idJson.includes('\\') ? (JSON.parse(idJson) as string) : idJson.slice(1, -1);
    } catch {
      throw new CorruptDataError(file, `line ${count + 1} is not an event line`);
    }
    if (id === '__proto__') throw new CorruptDataError(file, `line ${count + 1} has an id that cannot be a key`);
    if (Object.prototype.hasOwnProperty.call(events, id)) throw new CorruptDataError(file, `line ${count + 1} repeats event ${id}`);
    events[id] = text.slice(tab + 1, end);
    count++;
    start = end + 1;
  }
  if (count !== ref.count) throw new CorruptDataError(file, `${count} events where the snapshot recorded ${ref.count}`);
  return events;
}

/** Deletes the events files of older snapshots (and temp files a crash left behind). */
export async function removeEventsFilesExcept(dir: string, keep: string): Promise<void> {
  for (const name of await readdir(dir)) {
    if (name !== keep && /^\.?events-\d+\.jsonl(\.tmp)?$/.test(name)) await rm(path.join(dir, name), { force: true });
  }
}
