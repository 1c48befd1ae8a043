// One tab's capture log in storage, in blocks: a small entry (the tab's address and ids, the list
// of blocks) and its records with their delivery states by blocks of BLOCK_SIZE. A record or a
// delivery answer writes its own block, not the tab's whole history: written whole, each page
// view of a long-lived tab cost the worker and the browser tens of milliseconds of CPU, more
// with every page (docs/performance.md, "Page load, again"). Writes are coalesced like
// persisted.ts's; the entry and the blocks of one change go out in one `set`.
import type { CaptureRecord } from '../shared/capture';
import type { Delivery } from '../shared/messages';
import { CoalescedWrites, type Area } from './persisted';
import type { TabLog } from './capture-log';

export const BLOCK_SIZE = 100;

interface Entry {
  v: 2;
  url: string | null;
  ids: TabLog['ids'];
  idsAt?: number;
  blocks: number[];
}
interface Block {
  records: CaptureRecord[];
  deliveries: Record<string, Delivery>;
}
/** What earlier versions stored under the tab's key: the whole log. */
type Whole = TabLog & { v?: undefined };

export class TabStore {
  private log: TabLog | undefined;
  private loading: Promise<TabLog> | undefined;
  /** In memory: each block's records and the events whose delivery state it keeps. */
  private readonly blocks = new Map<number, { records: CaptureRecord[]; deliveries: Set<string> }>();
  private readonly deliveryBlock = new Map<string, number>();
  private readonly eventBlock = new Map<string, number>();
  private readonly dirty = new Set<number>();
  private readonly writes = new CoalescedWrites(() => this.writeOnce());

  constructor(
    private readonly area: Area,
    private readonly key: string,
  ) {}

  get(): Promise<TabLog> {
    if (this.log) return Promise.resolve(this.log);
    this.loading ??= this.load().then(
      (log) => (this.log ??= log),
      (e: unknown) => {
        this.loading = undefined;
        throw e;
      },
    );
    return this.loading;
  }

  private async load(): Promise<TabLog> {
    const stored = (await this.area.get(this.key))[this.key] as Entry | Whole | undefined;
    if (!stored) return { url: null, ids: null, records: [], deliveries: {} };
    if (stored.v !== 2) {
      // The whole log of an earlier version: taken into blocks, written as blocks next time.
      const log: TabLog = { url: stored.url, ids: stored.ids, idsAt: stored.idsAt, records: [...stored.records], deliveries: { ...stored.deliveries } };
      this.appended(log.records);
      this.delivered(Object.keys(log.deliveries));
      return log;
    }
    const blocks = await Promise.all(stored.blocks.map(async (n) => [n, (await this.area.get(this.blockKey(n)))[this.blockKey(n)] as Block | undefined] as const));
    const log: TabLog = { url: stored.url, ids: stored.ids, idsAt: stored.idsAt, records: [], deliveries: {} };
    for (const [n, block] of blocks) {
      const mine = { records: [...(block?.records ?? [])], deliveries: new Set(Object.keys(block?.deliveries ?? {})) };
      this.blocks.set(n, mine);
      log.records.push(...mine.records);
      for (const r of mine.records) for (const e of r.events) this.eventBlock.set(e.eventID, n);
      for (const id of mine.deliveries) this.deliveryBlock.set(id, n);
      Object.assign(log.deliveries, block?.deliveries);
    }
    return log;
  }

  private blockKey(n: number): string {
    return `${this.key}.b${n}`;
  }

  private lastBlock(): number {
    const last = [...this.blocks.keys()].at(-1);
    if (last !== undefined && this.blocks.get(last)!.records.length < BLOCK_SIZE) return last;
    const n = last === undefined ? 0 : last + 1;
    this.blocks.set(n, { records: [], deliveries: new Set() });
    return n;
  }

  /** Records appended to the log (in this order). */
  appended(records: CaptureRecord[]): void {
    for (const r of records) {
      const n = this.lastBlock();
      this.blocks.get(n)!.records.push(r);
      for (const e of r.events) this.eventBlock.set(e.eventID, n);
      this.dirty.add(n);
    }
    this.writes.mark();
  }

  /** Delivery states set or changed: each kept with its event's record (else the newest block). */
  delivered(eventIDs: string[]): void {
    for (const id of eventIDs) {
      let n = this.deliveryBlock.get(id);
      if (n === undefined) {
        n = this.eventBlock.get(id) ?? this.lastBlock();
        this.deliveryBlock.set(id, n);
        this.blocks.get(n)!.deliveries.add(id);
      }
      this.dirty.add(n);
    }
    this.writes.mark();
  }

  /** The oldest records were dropped from the log, with their events' delivery states. */
  dropped(records: CaptureRecord[]): void {
    const gone = new Set(records);
    for (const [n, block] of this.blocks) {
      if (!block.records.some((r) => gone.has(r))) continue;
      block.records = block.records.filter((r) => !gone.has(r));
      this.dirty.add(n);
    }
    for (const r of records) {
      for (const e of r.events) {
        this.eventBlock.delete(e.eventID);
        const n = this.deliveryBlock.get(e.eventID);
        if (n === undefined) continue;
        this.deliveryBlock.delete(e.eventID);
        this.blocks.get(n)?.deliveries.delete(e.eventID);
        this.dirty.add(n);
      }
    }
    this.writes.mark();
  }

  /** Resolves once a write that includes every change made so far has completed. */
  save(): Promise<void> {
    return this.writes.save();
  }

  /** One write of the entry and the blocks changed since the last (CoalescedWrites goes round). */
  private async writeOnce(): Promise<void> {
    if (!this.log) return;
    const dirty = [...this.dirty];
    this.dirty.clear();
    const log = this.log;
    const items: Record<string, unknown> = {};
    const empty: number[] = [];
    for (const n of dirty) {
      const block = this.blocks.get(n);
      if (!block) continue;
      if (block.records.length === 0 && block.deliveries.size === 0) {
        empty.push(n);
        continue;
      }
      const deliveries: Record<string, Delivery> = {};
      for (const id of block.deliveries) if (log.deliveries[id]) deliveries[id] = log.deliveries[id];
      items[this.blockKey(n)] = { records: block.records, deliveries } satisfies Block;
    }
    for (const n of empty) this.blocks.delete(n);
    items[this.key] = { v: 2, url: log.url, ids: log.ids, idsAt: log.idsAt, blocks: [...this.blocks.keys()] } satisfies Entry;
    try {
      await this.area.set(items);
    } catch (e) {
      // Not written: the next save() tries again with these blocks.
      for (const n of dirty) if (this.blocks.has(n)) this.dirty.add(n);
      throw e;
    }
    // No longer listed in the entry: a failure here leaves only an unread key behind.
    await Promise.all(empty.map((n) => this.area.remove(this.blockKey(n)).catch(() => undefined)));
  }

  /** Removes the tab's entry and every block of it. */
  async remove(): Promise<void> {
    await this.get().catch(() => undefined); // its blocks are listed in its entry
    const blocks = [...this.blocks.keys()];
    this.log = { url: null, ids: null, records: [], deliveries: {} };
    this.blocks.clear();
    this.eventBlock.clear();
    this.deliveryBlock.clear();
    this.dirty.clear();
    this.writes.drop();
    await this.writes.idle();
    await Promise.all([this.key, ...blocks.map((n) => this.blockKey(n))].map((k) => this.area.remove(k)));
  }
}
