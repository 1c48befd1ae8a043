// One value kept in extension storage: loaded once per worker life, changed in memory, and
// written back with coalescing (changes made during a write go out in the next one), so that a
// burst of captures costs a few writes, not one per event.

/** The part of a storage area this needs (browser.storage.local / .session fit). */
export interface Area {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}

export class Persisted<T> {
  private value: T | undefined;
  private loading: Promise<T> | undefined;
  private writing: Promise<void> | null = null;
  private dirty = false;

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
    this.dirty = true;
    if (!this.writing) {
      // Assigned before the loop can finish (a synchronous throw must not leave it set).
      const loop = Promise.resolve().then(() => this.writeLoop());
      this.writing = loop;
      loop.catch(() => undefined).finally(() => {
        if (this.writing === loop) this.writing = null;
      });
    }
    return this.writing;
  }

  async remove(): Promise<void> {
    this.value = this.initial();
    await this.writing?.catch(() => undefined);
    await this.area.remove(this.key);
  }

  private async writeLoop(): Promise<void> {
    while (this.dirty) {
      this.dirty = false;
      try {
        await this.area.set({ [this.key]: this.value });
      } catch (e) {
        this.dirty = true; // not written: the next save() tries again
        throw e;
      }
    }
  }
}
