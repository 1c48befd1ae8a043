// The lowdb adapter for the snapshot, visitor-lab.json. lowdb's own JSONFile writes the whole
// document as one string, which V8 refuses past ~512 MiB, and reads it back the same way;
// this one writes and reads a record a line:
//   {"format":3,"seq":…,"events":{…},"config":{…}}     the header
//   ["visit",{…}]  ["page",{…}]  ["identity",{…}]  ["session",{…}]  ["contact",{…}]  ["run",{…}]
//   {"end":{"lines":N,"sha256":"…"}}                   the checksum of every byte above, padded
//                                                      with spaces to END_LINE bytes, so a reader
//                                                      knows where the checksummed bytes stop
// to a temp file, fsync'ed and renamed over the old one (atomic), then the folder fsync'ed.
// A file cut short or changed on disk fails its checksum and is refused, never half-read.
// Format 2 (one JSON document) is still read, so data from earlier versions loads.
import { createHash } from 'node:crypto';
import { open, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Adapter } from 'lowdb';
import { emptyState, type LabState } from '../engine';
import { recordJson, type CapturedState } from './capture';
import { CorruptDataError } from './errors';
import type { EventsFileRef } from './events-file';
import { fsyncDir } from './fsync';
import { ChunkWriter, forEachLine } from './lines';

export const FORMAT = 3;

/** The end line's length in bytes, newline included. */
const END_LINE = 128;

/** What visitor-lab.json holds: the state without its events, and the events file that does. */
export interface Snapshot {
  format: number;
  events: EventsFileRef | null;
  state: LabState;
}

/** A snapshot to write: the state as captured at one sequence number. */
export interface SnapshotToWrite extends Snapshot {
  captured: CapturedState;
}

type Kind = 'visit' | 'page' | 'identity' | 'session' | 'contact' | 'run';

/** Puts a record read back from a line into the state. */
function place(state: LabState, kind: Kind, rec: Record<string, unknown>): string | null {
  const id = (key: string) => (typeof rec[key] === 'string' ? (rec[key] as string) : null);
  const put = (table: Record<string, unknown>, key: string | null) => {
    if (key === null || key === '__proto__' || Object.prototype.hasOwnProperty.call(table, key)) return `a ${kind} record without a usable id, or repeated`;
    table[key] = rec;
    return null;
  };
  switch (kind) {
    case 'visit': {
      const problem = put(state.visits, id('visitId'));
      if (!problem) state.visitOrder.push(rec.visitId as string);
      return problem;
    }
    case 'page':
      return put(state.pages, id('pageId'));
    case 'identity': {
      const problem = put(state.identities, id('identityId'));
      if (!problem) state.identityOrder.push(rec.identityId as string);
      return problem;
    }
    case 'session':
      return put(state.sessions, id('sessionId'));
    case 'contact':
      return put(state.contacts, id('contactId'));
    case 'run':
      return put((state.runs ??= {}), id('runId'));
    default:
      return `an unknown kind of record ${JSON.stringify(kind)}`;
  }
}

export class SnapshotFile implements Adapter<Snapshot> {
  constructor(
    readonly file: string,
    private readonly check: (data: unknown) => string | null,
  ) {}

  async read(): Promise<Snapshot | null> {
    let head: Buffer;
    try {
      const fh = await open(this.file, 'r');
      try {
        head = Buffer.alloc(16);
        const { bytesRead } = await fh.read(head, 0, 16, 0);
        head = head.subarray(0, bytesRead);
      } finally {
        await fh.close();
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
    const data = head.toString('latin1').startsWith('{"format":3,') ? await this.readLines() : await this.readDocument();
    const problem = this.check(data);
    if (problem) throw new CorruptDataError(this.file, problem);
    return data as Snapshot;
  }

  /** Format 2 and older: one JSON document (these fitted in one string when they were written). */
  private async readDocument(): Promise<unknown> {
    const { size } = await stat(this.file);
    if (size >= 0x1fffffe8) throw new CorruptDataError(this.file, `${size} bytes: too large for a format 2 snapshot`);
    const text = await readFile(this.file, 'utf8');
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new CorruptDataError(this.file, `not JSON: ${(e as Error).message}; ${text.length} bytes`);
    }
  }

  private async readLines(): Promise<Snapshot> {
    // The checksum covers the raw bytes before the end line (hashing each decoded line again
    // was a quarter of the start-up time at a million events).
    const hash = createHash('sha256');
    const { size } = await stat(this.file);
    const boundary = size - END_LINE;
    let hashed = 0;
    const onBytes = (b: Buffer) => {
      const take = Math.min(b.length, boundary - hashed);
      if (take > 0) hash.update(take === b.length ? b : b.subarray(0, take));
      hashed += b.length;
    };
    const state = emptyState();
    let header = null as { format: number; seq: number; events: EventsFileRef | null; config?: LabState['config']; categories?: LabState['categories']; activeRunId?: string | null } | null;
    let end = null as { lines: number; sha256: string } | null;
    const bad = (n: number, what: string) => new CorruptDataError(this.file, `line ${n} ${what}`);
    const { tail } = await forEachLine(this.file, (line, n) => {
      if (end) throw bad(n, 'comes after the end line');
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        throw bad(n, 'is not JSON');
      }
      if (n === 1) {
        header = value as typeof header;
        if (!header || typeof header.seq !== 'number') throw bad(n, 'is not a snapshot header');
        state.seq = header.seq;
        if (header.config) state.config = header.config;
        if (header.categories) state.categories = header.categories;
        if (typeof header.activeRunId === 'string') state.activeRunId = header.activeRunId;
      } else if (Array.isArray(value)) {
        const [kind, rec] = value as [Kind, Record<string, unknown>];
        const problem = rec && typeof rec === 'object' && !Array.isArray(rec) ? place(state, kind, rec) : 'not a record';
        if (problem) throw bad(n, problem);
      } else if (value && typeof value === 'object' && 'end' in value) {
        const said = (value as { end: { lines: number; sha256: string } | null }).end;
        end = said;
        if (!said || said.lines !== n - 1 || Buffer.byteLength(line) + 1 !== END_LINE || boundary < 0 || hash.digest('hex') !== said.sha256) {
          throw bad(n, 'says the file is not what was written (checksum or line count differs: changed or cut short on disk)');
        }
        return;
      } else {
        throw bad(n, 'is not a snapshot line');
      }
    }, { onBytes });
    if (!end || tail) throw new CorruptDataError(this.file, 'it is cut short (no end line)');
    const { format, events } = header!;
    return { format, events, state };
  }

  async write(data: Snapshot): Promise<void> {
    const { captured } = data as SnapshotToWrite;
    if (!captured) throw new Error('SnapshotFile.write needs a captured state');
    const tmp = path.join(path.dirname(this.file), `.${path.basename(this.file)}.tmp`);
    const fh = await open(tmp, 'w');
    try {
      const hash = createHash('sha256');
      let hashing = true;
      const out = new ChunkWriter(fh, (b) => hashing && hash.update(b));
      let lines = 0;
      const line = async (text: string) => {
        lines++;
        await out.add(text + '\n');
      };
      await line(JSON.stringify({ format: data.format, seq: captured.seq, events: data.events, ...(captured.config ? { config: captured.config } : {}), ...(captured.categories ? { categories: captured.categories } : {}), ...(captured.activeRunId ? { activeRunId: captured.activeRunId } : {}) }));
      for (const { rec, n } of captured.visits) await line(`["visit",${recordJson(rec, n)}]`);
      for (const { rec, n } of captured.pages) await line(`["page",${recordJson(rec, n)}]`);
      for (const { rec, n } of captured.identities) await line(`["identity",${recordJson(rec, n)}]`);
      for (const rec of captured.sessions) await line(`["session",${JSON.stringify(rec)}]`);
      for (const rec of captured.contacts) await line(`["contact",${JSON.stringify(rec)}]`);
      for (const { rec, n } of captured.runs) await line(`["run",${recordJson(rec, n)}]`);
      await out.flush();
      hashing = false;
      await out.add(JSON.stringify({ end: { lines, sha256: hash.digest('hex') } }).padEnd(END_LINE - 1) + '\n');
      await out.flush();
      await fh.datasync();
    } catch (e) {
      await fh.close();
      await rm(tmp, { force: true });
      throw e;
    }
    await fh.close();
    await rename(tmp, this.file);
    await fsyncDir(path.dirname(this.file));
  }
}

/**
 * The sequence number and events file of the snapshot on disk (its first line): null when
 * there is no snapshot file, 'unknown' when it cannot be read now (so nothing may be deleted
 * on the strength of it).
 */
export async function snapshotHeaderOnDisk(file: string): Promise<{ seq: number; events: EventsFileRef | null } | null | 'unknown'> {
  try {
    let first: string | null = null;
    await forEachLine(file, (line, n) => {
      if (n === 1) first = line;
      throw STOP;
    }).catch((e) => {
      if (e !== STOP) throw e;
    });
    const header = first === null ? null : JSON.parse(first);
    return header && typeof header.seq === 'number' ? { seq: header.seq, events: header.events ?? null } : 'unknown';
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? null : 'unknown';
  }
}

const STOP = new Error('first line read');
