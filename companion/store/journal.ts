// The append-only journal that makes intake durable without rewriting the snapshot:
// one JSON line per record, appended and fdatasync'ed before the records are acknowledged.
// It is kept in segments named by their first sequence number, so that after a snapshot
// the segments it covers can simply be deleted.
import { open, readdir, readFile, rm, stat, truncate, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { JournalRecord } from '../engine';
import { CorruptDataError, StorageError } from './errors';
import { fsyncDir } from './fsync';

const SEGMENT = /^journal-(\d{12})\.jsonl$/;

function segmentName(firstSeq: number): string {
  return `journal-${String(firstSeq).padStart(12, '0')}.jsonl`;
}

async function listSegments(dir: string): Promise<{ file: string; firstSeq: number }[]> {
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
  records: JournalRecord[];
  /** Bytes cut from the end of the last segment: a record whose write a crash interrupted. */
  tornBytes: number;
}

/**
 * Reads every record after `afterSeq`. A last line without its newline was never
 * acknowledged (acknowledgement waits for the whole line to be on disk): it is cut off.
 * Anything else unreadable is corruption, and nothing is changed.
 */
export async function readJournal(dir: string, afterSeq: number): Promise<JournalReadResult> {
  const segments = await listSegments(dir);
  const records: JournalRecord[] = [];
  let tornBytes = 0;
  let expected = afterSeq + 1;
  for (let i = 0; i < segments.length; i++) {
    const { file } = segments[i];
    const buf = await readFile(file);
    const end = buf.lastIndexOf(0x0a) + 1;
    if (end < buf.length) {
      if (i !== segments.length - 1) throw new CorruptDataError(file, 'a record is cut short in the middle of the journal');
      tornBytes = buf.length - end;
    }
    const lines = buf.subarray(0, end).toString('utf8').split('\n');
    lines.pop();
    for (let n = 0; n < lines.length; n++) {
      let record: JournalRecord;
      try {
        record = JSON.parse(lines[n]);
      } catch {
        throw new CorruptDataError(file, `line ${n + 1} is not JSON`);
      }
      if (!record || typeof record.seq !== 'number' || !record.op) {
        throw new CorruptDataError(file, `line ${n + 1} is not a journal record`);
      }
      if (record.seq < expected) continue; // already in the snapshot
      if (record.seq !== expected) {
        throw new CorruptDataError(file, `line ${n + 1} has record ${record.seq}, expected ${expected}`);
      }
      records.push(record);
      expected++;
    }
  }
  if (tornBytes > 0) {
    const last = segments[segments.length - 1].file;
    const { size } = await stat(last);
    await truncate(last, size - tornBytes);
  }
  return { records, tornBytes };
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
    const file = last ? last.file : path.join(this.dir, segmentName(nextSeq));
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
    const next = await open(path.join(this.dir, segmentName(nextSeq)), 'a');
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
