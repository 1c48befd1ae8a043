// One value kept in extension storage: loaded once per worker life, changed in memory, and
// written back with coalescing (changes made during a write go out in the next one), so that a
// burst of captures costs a few writes, not one per event.

/** The part of a storage area this needs (browser.storage.local / .session fit). */
export interface Area {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}

/**
 * Writes with coalescing: `save()` resolves once a write that includes every change made so far
 * has completed; changes marked during a write go out in the next one. A failed write leaves the
 * changes marked, for the next save() to try again.
 */
export class CoalescedWrites {
  private writing: Promise<void> | null = null;
  private pending = false;

  constructor(private readonly writeOnce: () => Promise<void>) {}

  /** There are changes to write (a write under way goes round once more for them). */
  mark(): void {
    this.pending = true;
  }

  /** The changes not written yet are dropped (what they changed is gone). */
  drop(): void {
    this.pending = false;
  }

  save(): Promise<void> {
    this.pending = true;
    if (!this.writing) {
      // Assigned before the loop can finish (a synchronous throw must not leave it set).
      const loop = Promise.resolve().then(() => this.loop());
      this.writing = loop;
      loop.catch(() => undefined).finally(() => {
        if (this.writing === loop) this.writing = null;
      });
    }
    return this.writing;
  }

  /** Resolves when no write is under way (whether the last one succeeded or not). */
  async idle(): Promise<void> {
    await this.writing?.catch(() => undefined);
  }

  private async loop(): Promise<void> {
    while (this.pending) {
      this.pending = false;
      try {
        await this.writeOnce();
      } catch (e) {
        this.pending = true; // not written: the next save() tries again
        throw e;
      }
    }
  }
}

export class Persisted<T> {
  private value: T | undefined;
  private loading: Promise<T> | undefined;
  private readonly writes = new CoalescedWrites(() => this.area.set({ [this.key]: this.value }));

  constructor(
    private readonly area: Area,
    private readonly key: string,
    private readonly initial: () => T,
    private readonly revive: (stored: T) => T = (v) => v,
  ) {}

  get(): Promise<T> {
    if (this.value !== undefined) return Promise.resolve(this.value);
    this.loading ??= this.area.get(this.key).then(
      (got) => {
        const stored = got[this.key] as T | undefined;
        this.value ??= stored === undefined ? this.initial() : this.revive(stored);
        return this.value;
      },
      (e: unknown) => {
        this.loading = undefined; // the next call tries again
        throw e;
      },
    );
    return this.loading;
  }

  /** Resolves once a write that includes every change made so far has completed. */
  save(): Promise<void> {
    return this.writes.save();
  }

  async remove(): Promise<void> {
    this.value = this.initial();
    await this.writes.idle();
    await this.area.remove(this.key);
  }
}
