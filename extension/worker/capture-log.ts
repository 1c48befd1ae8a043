// Each tab's capture log: every record the tracker sent (command, events, rejection) and the
// delivery state of each event. Kept in storage.session: it survives the worker being stopped,
// and goes with the browser session, like the tabs it describes.
import type { GtEvent } from '../../protocol/events';
import type { CaptureRecord, TrackerIds } from '../shared/capture';
import type { Delivery } from '../shared/messages';
import { exitOfCurrent } from './page-exits';
import type { Area } from './persisted';
import { TabStore } from './tab-store';

export interface TabLog {
  url: string | null;
  ids: TrackerIds | null;
  /** When the record that set `ids` was made: records can arrive out of order. */
  idsAt?: number;
  records: CaptureRecord[];
  deliveries: Record<string, Delivery>;
}

/** Oldest records are dropped past this, so a long-lived tab cannot fill the storage quota. */
export const MAX_RECORDS_PER_TAB = 5000;

export class CaptureLog {
  private readonly tabs = new Map<number, TabStore>();
  /** Closed tabs: late delivery reports for their events must not bring their logs back. */
  private readonly closed = new Set<number>();

  constructor(private readonly area: Area) {}

  private tab(tabId: number): TabStore {
    let log = this.tabs.get(tabId);
    if (!log) {
      log = new TabStore(this.area, `visitorLab.tab.${tabId}`);
      this.tabs.set(tabId, log);
    }
    return log;
  }

  get(tabId: number): Promise<TabLog> {
    return this.tab(tabId).get();
  }

  /** True when the tab has this record already (the relay retried a message that got through). */
  async has(tabId: number, record: CaptureRecord): Promise<boolean> {
    const log = await this.tab(tabId).get();
    return log.records.some((r) => r.seq === record.seq && r.ids.pageID === record.ids.pageID);
  }

  /** Adds a record unless the tab has it already; false for a repeat. */
  async add(tabId: number, record: CaptureRecord): Promise<boolean> {
    const log = await this.tab(tabId).get();
    if (this.closed.has(tabId) || log.records.some((r) => r.seq === record.seq && r.ids.pageID === record.ids.pageID)) return false;
    await this.addAll(tabId, [record]);
    return true;
  }

  /**
   * Adds records, in order, each preceded by what `before` makes of the log as it is then (the
   * page exits a record brings: page-exits.ts), in one step and one write: no record of the tab
   * arriving meanwhile can come between, or be missed by `before`. `initial`: delivery states
   * set where none is known yet (a capture's `queued`; deliver()'s `initial`), written with the
   * records. Returns what `before` added (the exits of a batch, each once).
   */
  async addAll(
    tabId: number,
    records: CaptureRecord[],
    before?: (log: TabLog, record: CaptureRecord) => CaptureRecord[],
    initial: Array<[eventID: string, delivery: Delivery]> = [],
  ): Promise<CaptureRecord[]> {
    if (this.closed.has(tabId)) return [];
    const store = this.tab(tabId);
    const log = await store.get();
    if (this.closed.has(tabId)) return [];
    const extra: CaptureRecord[] = [];
    let added = false;
    const known = (record: CaptureRecord) => log.records.some((r) => r.seq === record.seq && r.ids.pageID === record.ids.pageID);
    const append = (record: CaptureRecord) => {
      log.records.push(record);
      store.appended([record]);
      added = true;
      // The tab's current ids are those of its newest page view; a PageExited (the page being
      // left) can arrive after the next page's first record and must not take them back.
      const leaving = record.events.length > 0 && record.events.every((e) => e.eventName === 'PageExited');
      if (!leaving && record.at >= (log.idsAt ?? 0)) {
        log.url = record.page.url;
        log.ids = record.ids;
        log.idsAt = record.at;
      }
    };
    for (const record of records) {
      if (known(record)) continue;
      // Worked out with the batch's earlier records in the log: a batch can hold several pages.
      for (const exit of before?.(log, record) ?? []) {
        if (known(exit)) continue;
        append(exit);
        extra.push(exit);
      }
      append(record);
    }
    const fresh = initial.filter(([id]) => !log.deliveries[id]);
    for (const [id, delivery] of fresh) log.deliveries[id] = delivery;
    if (fresh.length) store.delivered(fresh.map(([id]) => id));
    if (log.records.length > MAX_RECORDS_PER_TAB) {
      const dropped = log.records.splice(0, log.records.length - MAX_RECORDS_PER_TAB);
      for (const old of dropped) {
        for (const ev of old.events) delete log.deliveries[ev.eventID];
      }
      store.dropped(dropped);
    }
    if (added || fresh.length) await store.save();
    return extra;
  }

  /**
   * Sets the delivery state of events of one tab. `initial`: only where none is known yet (a
   * capture's `queued` must not overwrite a `sent` or `accepted` that raced ahead of it).
   */
  async deliver(tabId: number, updates: Array<[eventID: string, delivery: Delivery]>, initial = false): Promise<void> {
    if (updates.length === 0 || this.closed.has(tabId)) return;
    const store = this.tab(tabId);
    const log = await store.get();
    if (this.closed.has(tabId)) return; // closed while loading: do not write its log back
    const changed: string[] = [];
    for (const [id, delivery] of updates) {
      if (initial && log.deliveries[id]) continue;
      log.deliveries[id] = delivery;
      changed.push(id);
    }
    store.delivered(changed);
    await store.save();
  }

  async forget(tabId: number): Promise<void> {
    this.closed.add(tabId);
    await this.tab(tabId).remove();
    this.tabs.delete(tabId);
  }

  /** The page left open in a closed tab, as a PageExited to send for it, if none was sent. */
  async unexitedPage(tabId: number, at = Date.now()): Promise<GtEvent | null> {
    return exitOfCurrent(await this.get(tabId), at)?.events[0] ?? null;
  }
}
