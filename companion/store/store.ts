// The store: the identification state in memory, made durable by the journal (every
// acknowledged operation) and the lowdb snapshot (the whole state, now and then).
// Operations are group-committed: all those that arrive while one disk write is under way
// go out together in the next, so one fdatasync carries many requests.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { Low } from 'lowdb';
import type { StoredEvent } from '../../protocol';
import { applyOperation, buildContactIndex, contactOrder, countsOf, emptyState, own, rebuildUnpaged, type EngineConfig, type JournalRecord, type LabState, type Operation, type VisitSeed } from '../engine';
import { CorruptDataError, StorageError } from './errors';
import { readEventsFile } from './events-file';
import { checkJournalAfterSnapshot, checkWithoutSnapshot } from './files-agree';
import { JournalWriter, readJournal } from './journal';
import { lockDataDir } from './lock';
import { eventText, recordText, storedText } from './record-text';
import { checkSnapshot, missingEvent } from './snapshot-check';
import { FORMAT, SnapshotFile, type Snapshot } from './snapshot-file';
import { Snapshotter } from './snapshotter';
import type { LabStore, Placed, RetireQuery, Retirement, StoreChanges, StoreCounts, Window } from './lab-store';

export const SNAPSHOT_FILE = 'visitor-lab.json';
/**
 * The room left on the heap below which new events are refused (507): a quarter of it, and at
 * least 64 MiB (the heap limit counts the young generation, about 48 MiB, that data never fills).
 */
const HEAP_ROOM = { share: 0.25, min: 64 * 2 ** 20 };
export interface StoreOptions {
  dataDir: string;
  engine: EngineConfig;
  /** Journal size after which the state is snapshotted and the journal emptied. */
  snapshotAfterBytes?: number;
  log?: (message: string) => void;
}

interface Pending {
  op: Operation;
  resolve: () => void;
  reject: (e: Error) => void;
}

export class Store implements LabStore {
  readonly kind = 'embedded';
  readonly windowFilters = false;
  private queue: Pending[] = [];
  private flushing: Promise<void> | null = null;
  /** eventIDs on their way to disk, with the commit that carries them. */
  private pendingEvents = new Map<string, Promise<void>>();
  private closed = false;
  private snapshots!: Snapshotter;

  /**
   * Applies a journal record, noting the events it adds for the next snapshot. `texts` are
   * the events' journal texts, when this process wrote them.
   */
  private apply(record: JournalRecord, texts: string[] | null = null): void {
    const { op } = record;
    const events = op.kind === 'events' ? op.events : [];
    try {
      applyOperation(this.state, record, this.config);
    } finally {
      if (op.kind === 'reset' || op.kind === 'forget') this.snapshots.reset();
      // Even if applying failed part-way, the events it did store must reach the events file.
      // The engine stores the event object itself: anything else under its id (stored before,
      // or a repeat within the op) is not this event.
      events.forEach((ev, i) => {
        if (own(this.state.events, ev.eventID) !== ev) return;
        this.snapshots.noteEvent(ev.eventID);
        // Kept as its JSON text, as events loaded from the snapshot are (eventOf parses it when
        // read): the events file takes the text as is, and 100,000 stored events are 100,000
        // strings rather than object graphs for the garbage collector to walk.
        if (texts) this.state.events[ev.eventID] = storedText(texts[i], ev);
      });
    }
  }
  readonly startedAt = Date.now();
  replayed = 0;

  private constructor(
    readonly dataDir: string,
    readonly state: LabState,
    private readonly journal: JournalWriter,
    private readonly unlock: () => Promise<void>,
    private readonly options: StoreOptions,
  ) {}

  get location(): string {
    return this.dataDir;
  }

  /** The whole state: everything is in memory, whatever the reader needs. */
  read(): Promise<LabState> {
    return Promise.resolve(this.state);
  }

  async window(w: Window): Promise<Placed[]> {
    const { state } = this;
    const list =
      w.list === 'visits' ? state.visitOrder
      : w.list === 'identities' ? state.identityOrder
      : w.list === 'events' ? ((w.pageId !== undefined ? own(state.pages, w.pageId) : own(state.visits, w.visitId ?? ''))?.eventIds ?? [])
      : contactOrder(state);
    const out: Placed[] = [];
    if (w.newestFirst) {
      const from = Math.min(w.after ?? list.length - 1, list.length - 1);
      const to = Math.max(0, (w.after === null ? list.length : w.after) - w.count);
      for (let i = from; i >= to; i--) out.push({ pos: i, id: list[i] });
      return out;
    }
    const from = w.after ?? 0;
    const to = Math.min(list.length, (w.after === null ? 0 : w.after + 1) + w.count);
    for (let i = from; i < to; i++) out.push({ pos: i, id: list[i] });
    return out;
  }

  async retirement(q: RetireQuery): Promise<Retirement> {
    const { visits, visitOrder } = this.state;
    const out: Retirement = { visitIds: [], events: 0 };
    let excess = q.keepEvents === undefined ? 0 : countsOf(this.state).events - q.keepEvents;
    // In the order they were first heard of: the oldest first.
    for (const id of visitOrder) {
      if (out.visitIds.length >= q.limit) break;
      const visit = visits[id];
      const quiet = q.activeBefore !== undefined && visit.lastActivity < q.activeBefore;
      if (!quiet && excess <= 0) {
        if (q.activeBefore === undefined) break;
        continue;
      }
      out.visitIds.push(id);
      out.events += visit.eventIds.length;
      excess -= visit.eventIds.length;
    }
    return out;
  }

  async counts(): Promise<StoreCounts> {
    const c = countsOf(this.state);
    return { visits: this.state.visitOrder.length, pages: c.pages, events: c.events, identities: this.state.identityOrder.length, sessions: c.sessions, contacts: c.contacts };
  }

  async changes(): Promise<StoreChanges> {
    return { seq: this.state.seq, visits: this.state.visitOrder.length };
  }

  /** Creates the visit unless one with its id exists or is being created. */
  async createVisit(seed: VisitSeed): Promise<boolean> {
    // Reserved until committed, so that two concurrent POSTs of one id cannot both succeed.
    if (own(this.state.visits, seed.visitId) || this.pendingVisitIds.has(seed.visitId)) return false;
    this.pendingVisitIds.add(seed.visitId);
    try {
      await this.commit({ kind: 'visit', visit: seed });
    } finally {
      this.pendingVisitIds.delete(seed.visitId);
    }
    return true;
  }

  /** The engine settings the data is computed with (the companion's, once its start-up recorded them). */
  get config(): EngineConfig {
    return this.state.config ?? this.options.engine;
  }

  static async open(options: StoreOptions): Promise<Store> {
    const dataDir = path.resolve(options.dataDir);
    const journalDir = path.join(dataDir, 'journal');
    await mkdir(journalDir, { recursive: true });
    const unlock = await lockDataDir(dataDir);
    try {
      const file = path.join(dataDir, SNAPSHOT_FILE);
      const db = new Low<Snapshot>(new SnapshotFile(file, checkSnapshot), { format: FORMAT, events: null, state: emptyState() });
      await db.read();
      const fromDisk = db.data.state.seq > 0 || db.data.events !== null;
      if (!fromDisk) await checkWithoutSnapshot(dataDir, file);
      const state = db.data.state;
      if (db.data.events) state.events = await readEventsFile(dataDir, db.data.events);
      const missing = missingEvent(state);
      if (missing) throw new CorruptDataError(path.join(dataDir, db.data.events?.file ?? SNAPSHOT_FILE), missing);
      if (db.data.format < FORMAT) rebuildUnpaged(state);
      const journal = new JournalWriter(journalDir);
      const store = new Store(dataDir, state, journal, unlock, options);
      store.snapshots = new Snapshotter(dataDir, file, db, journal, { ...options, onIdle: () => store.kick() }, db.data.events);
      const { records, tornBytes, lastSeq } = await readJournal(journalDir, state.seq, (record) => store.replay(record));
      if (fromDisk) await checkJournalAfterSnapshot(dataDir, state.seq, lastSeq);
      if (tornBytes) options.log?.(`journal: dropped ${tornBytes} bytes of a record cut short by a crash (never acknowledged)`);
      await journal.open(state.seq + 1);
      store.replayed = records;
      await store.recordConfig();
      // The derived indexes are built now, as part of start-up, not by the first request
      // that needs them (counting a million events held the first /lab/health ~200 ms).
      countsOf(state);
      buildContactIndex(state);
      return store;
    } catch (e) {
      await unlock();
      throw e;
    }
  }

  private replay(record: JournalRecord): void {
    try {
      // Stored as text, as at intake: a replayed event kept as an object takes about three
      // times the memory, and a restart must fit in the heap the companion ran in.
      this.apply(record, record.op.kind === 'events' ? record.op.events.map(eventText) : null);
    } catch (e) {
      // It failed the same way when it came in, and its request was answered with an
      // error (never acknowledged): skip it rather than refuse to start on it.
      this.state.seq = record.seq;
      this.options.log?.(`journal: record ${record.seq} could not be applied and is skipped: ${(e as Error).message}`);
    }
  }

  /**
   * Journals the engine settings when they differ from those the data was computed with, so
   * that what was applied before keeps the settings it was applied with, whether the last
   * stop was clean or a crash.
   */
  private async recordConfig(): Promise<void> {
    if (JSON.stringify(this.state.config) === JSON.stringify(this.options.engine)) return;
    await this.commit({ kind: 'config', config: { ...this.options.engine } });
  }

  /** Refuses new events once the heap is nearly full: data that no longer fits in memory could not be loaded again. */
  private checkRoom(): void {
    const { used_heap_size: used, heap_size_limit: limit } = getHeapStatistics();
    if (limit - used > Math.max(HEAP_ROOM.min, HEAP_ROOM.share * limit)) return;
    throw new StorageError(
      `the companion's memory is nearly full (${Math.round(used / 2 ** 20)} of its ${Math.round(limit / 2 ** 20)} MiB in use): ` +
        'new events are refused so that everything stored can still be loaded. Reset it (POST /lab/reset), or restart it with more memory (NODE_OPTIONS=--max-old-space-size=MiB)',
      'EFULL',
    );
  }

  /**
   * Stores the events whose eventID is new; returns the eventIDs that were already stored.
   * An eventID that another request is writing right now is answered as a duplicate only
   * once that write is on disk; if that write fails, this request writes the event itself.
   * So a "duplicate" answer, like an "accepted" one, always means the event is stored.
   * `runId`: the run the events stored here belong to.
   */
  async submitEvents(events: StoredEvent[], userAgent: string | null, runId?: string, prepare?: (state: LabState) => void): Promise<Set<string>> {
    prepare?.(this.state);
    const duplicates = new Set<string>();
    let todo = events;
    for (let attempt = 0; todo.length > 0; attempt++) {
      if (attempt === 3) throw new StorageError('could not write events another request failed to write', 'EAGAIN');
      if (attempt === 0) this.checkRoom();
      const fresh: StoredEvent[] = [];
      const elsewhere: [StoredEvent, Promise<void>][] = [];
      for (const ev of todo) {
        const inFlight = this.pendingEvents.get(ev.eventID);
        if (own(this.state.events, ev.eventID)) duplicates.add(ev.eventID);
        else if (inFlight) elsewhere.push([ev, inFlight]);
        else fresh.push(ev);
      }
      if (fresh.length) {
        const commit = this.commit({ kind: 'events', userAgent, events: fresh, ...(runId !== undefined ? { runId } : {}) });
        for (const ev of fresh) this.pendingEvents.set(ev.eventID, commit);
        try {
          await commit;
        } finally {
          for (const ev of fresh) if (this.pendingEvents.get(ev.eventID) === commit) this.pendingEvents.delete(ev.eventID);
        }
      }
      todo = [];
      for (const [ev, inFlight] of elsewhere) {
        try {
          await inFlight;
          duplicates.add(ev.eventID);
        } catch {
          todo.push(ev); // that request's write failed: this one stores the event
        }
      }
    }
    return duplicates;
  }

  private pendingVisitIds = new Set<string>();

  /** Writes the operation to the journal, then applies it; resolves when both are done. */
  commit(op: Operation): Promise<void> {
    if (this.closed) return Promise.reject(new StorageError('the companion is shutting down', 'ECLOSED'));
    return new Promise((resolve, reject) => {
      this.queue.push({ op, resolve, reject });
      this.kick();
    });
  }

  /**
   * Starts the flush loop when it is not running (operations queued, or a snapshot wanted).
   * It starts on the next turn, never from here: flushLoop can finish synchronously, and its
   * own `flushing = null` must not be overwritten by this assignment afterwards.
   */
  private kick(): void {
    if (this.flushing || (this.closed && !this.queue.length)) return;
    this.flushing = new Promise((r) => setImmediate(r)).then(() => this.flushLoop());
  }

  private async flushLoop(): Promise<void> {
    try {
      for (;;) {
        if (this.queue.length) await this.flushBatch();
        // Between two batches nothing is being applied: the moment to capture a snapshot.
        if (this.snapshots.wanted()) await this.snapshots.begin(this.state).catch((e) => this.snapshots.failedToBegin(e as Error));
        else if (!this.queue.length) break;
      }
    } finally {
      this.flushing = null;
      if (this.queue.length) this.kick();
    }
  }

  private async flushBatch(): Promise<void> {
    const batch = this.queue.splice(0);
    const first = this.state.seq + 1;
    const records = batch.map((p, i) => ({ seq: first + i, op: p.op }));
    let texts: (string[] | null)[];
    try {
      texts = records.map((r) => (r.op.kind === 'events' ? r.op.events.map(eventText) : null));
      await this.journal.append(records.map((r, i) => recordText(r, texts[i])).join('\n') + '\n');
    } catch (e) {
      // Nothing of the batch is on disk or applied: each request hears it, none waits for ever.
      for (const p of batch) p.reject(e as Error);
      return;
    }
    for (let i = 0; i < batch.length; i++) {
      try {
        this.apply(records[i], texts[i]);
        batch[i].resolve();
      } catch (e) {
        this.options.log?.(`record ${records[i].seq} could not be applied: ${(e as Error).stack}`);
        this.state.seq = records[i].seq;
        batch[i].reject(e as Error);
      }
    }
  }

  /** Waits for everything queued to be on disk, and for a snapshot being written. */
  async drain(): Promise<void> {
    while (this.flushing || this.snapshots.busy) {
      if (this.flushing) await this.flushing;
      await this.snapshots.idle();
    }
  }

  /** Flushes, snapshots and releases the data directory. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.drain();
    try {
      if (this.snapshots.dirty) {
        const { written } = await this.snapshots.begin(this.state);
        if (!(await written)) throw this.snapshots.lastError ?? new StorageError('the last snapshot could not be written', 'ESNAPSHOT');
      }
    } finally {
      await this.journal.close();
      await this.unlock();
    }
  }
}
