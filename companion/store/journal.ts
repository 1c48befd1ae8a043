// The append-only journal that makes intake durable without rewriting the snapshot:
// one JSON line per record, appended and fdatasync'ed before the records are acknowledged.
// It is kept in segments named by their first sequence number, so that after a snapshot
// the segments it covers can simply be deleted.
import { appendFile, open, readdir, rm, stat, truncate, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { JournalRecord } from '../engine';
import { CorruptDataError, StorageError } from './errors';
import { fsyncDir } from './fsync';
import { forEachLine } from './lines';

const SEGMENT = /^journal-(\d{12})\.jsonl$/;

export function journalSegmentName(firstSeq: number): string {
  return `journal-${String(firstSeq).padStart(12, '0')}.jsonl`;
}

export async function listSegments(dir: string): Promise<{ file: string; firstSeq: number }[]> {
  const names = await readdir(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [] as string[];
    throw e;
  });
  return names
    .map((name) => ({ name, m: SEGMENT.exec(name) }))
    .filter((x) => x.m !== null)
    .map((x) => ({ file: path.join(dir, x.name), firstSeq: Number(x.m![1]) }))
    .sort((a, b) => a.firstSeq - b.firstSeq);
}

export interface JournalReadResult {
  /** How many records were handed on (those after the snapshot). */
  records: number;
  /** Bytes cut from the end of the last segment: a record whose write a crash interrupted. */
  tornBytes: number;
  /** The highest record number found, including records the snapshot already holds (0: none). */
  lastSeq: number;
}

function parseRecord(file: string, line: string, n: number): JournalRecord {
  let record: JournalRecord;
  try {
    record = JSON.parse(line);
  } catch {
    throw new CorruptDataError(file, `line ${n} is not JSON`);
  }
  if (!record || typeof record.seq !== 'number' || !record.op) {
    throw new CorruptDataError(file, `line ${n} is not a journal record`);
  }
  return record;
}

/**
 * Reads every record after `afterSeq`, a segment a chunk at a time. Acknowledgement waits
 * for the whole line and its newline to be on disk, so only a last line that is not a whole
 * record could never have been acknowledged: that one is cut off. A last line that is a whole
 * record, the next one expected, is kept (its newline was lost, not the record). Anything
 * else unreadable is corruption, and nothing is changed.
 */
export async function readJournal(dir: string, afterSeq: number, onRecord: (record: JournalRecord) => void): Promise<JournalReadResult> {
  const segments = await listSegments(dir);
  let records = 0;
  let tornBytes = 0;
  let tornAt = 0;
  let expected = afterSeq + 1;
  let mendNewline = false;
  let lastSeq = 0;
  const take = (file: string, record: JournalRecord, n: number) => {
    lastSeq = Math.max(lastSeq, record.seq);
    if (record.seq < expected) return; // already in the snapshot
    if (record.seq !== expected) throw new CorruptDataError(file, `line ${n} has record ${record.seq}, expected ${expected}`);
    // Applied as it is read: a journal of twice the snapshot's size is never held whole.
    onRecord(record);
    records++;
    expected++;
  };
  for (let i = 0; i < segments.length; i++) {
    const { file } = segments[i];
    let lines = 0;
    const { tail, tailOffset } = await forEachLine(file, (line, n) => {
      lines = n;
      take(file, parseRecord(file, line, n), n);
    });
    if (!tail) continue;
    let whole: JournalRecord | null = null;
    try {
      whole = parseRecord(file, tail, lines + 1);
    } catch {
      /* a record cut short */
    }
    const isLast = i === segments.length - 1;
    if (whole) {
      take(file, whole, lines + 1);
      mendNewline = isLast;
    } else if (!isLast) {
      throw new CorruptDataError(file, 'a record is cut short in the middle of the journal');
    } else {
      // In bytes as they are on disk (the decoded tail may hold U+FFFD for a cut character).
      tornAt = tailOffset;
      tornBytes = (await stat(file)).size - tailOffset;
    }
  }
  const last = segments[segments.length - 1]?.file;
  if (tornBytes > 0) {
    await truncate(last, tornAt);
  } else if (mendNewline) {
    await appendFile(last, '\n');
  }
  return { records, tornBytes, lastSeq };
}

export class JournalWriter {
  private fh: FileHandle | null = null;
  private size = 0;
  private broken: Error | null = null;
  /** Bytes written since the last snapshot (the size of what a start-up would replay). */
  bytesSinceSnapshot = 0;

  constructor(private readonly dir: string) {}

  /** Opens the newest segment for appending, or starts one at `nextSeq`. */
  async open(nextSeq: number): Promise<void> {
    const segments = await listSegments(this.dir);
    const last = segments[segments.length - 1];
    const file = last ? last.file : path.join(this.dir, journalSegmentName(nextSeq));
    this.fh = await open(file, 'a');
    this.size = (await this.fh.stat()).size;
    // Every segment still here holds records the snapshot does not (a crash, or a failed snapshot).
    let total = 0;
    for (const s of segments) total += (await stat(s.file)).size;
    this.bytesSinceSnapshot = total;
    if (!last) await fsyncDir(this.dir);
  }

  /** Appends whole lines and waits until they are on disk. On failure nothing of them stays. */
  async append(text: string): Promise<void> {
    if (this.broken) throw new StorageError(`storage unavailable: ${this.broken.message}`, 'EBROKEN');
    const buf = Buffer.from(text, 'utf8');
    try {
      let written = 0;
      while (written < buf.length) {
        const { bytesWritten } = await this.fh!.write(buf, written, buf.length - written);
        written += bytesWritten;
      }
      await this.fh!.datasync();
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      try {
        // Cut the partial write so the journal never holds half a record.
        await this.fh!.truncate(this.size);
      } catch (cut) {
        this.broken = cut as Error;
      }
      throw new StorageError(`could not write the journal: ${err.message}`, err.code);
    }
    this.size += buf.length;
    this.bytesSinceSnapshot += buf.length;
  }

  /** Starts a new segment for records from `nextSeq` on; call when a snapshot covers the rest. */
  async rotate(nextSeq: number): Promise<void> {
    // Open the new segment before closing the old one: if the open fails, appends go on
    // into the old segment (still correct, only not yet compacted).
    const next = await open(path.join(this.dir, journalSegmentName(nextSeq)), 'a');
    const previous = this.fh;
    this.fh = next;
    await previous?.close();
    this.size = 0;
    this.bytesSinceSnapshot = 0;
    await fsyncDir(this.dir);
  }

  /** Deletes the segments before the current one (a snapshot holds their records). */
  async dropCovered(): Promise<void> {
    const segments = await listSegments(this.dir);
    for (const s of segments.slice(0, -1)) await rm(s.file, { force: true });
    await fsyncDir(this.dir);
  }

  async close(): Promise<void> {
    await this.fh?.close();
    this.fh = null;
  }
}
