// The tracker's side of the relay: records wait (mirrored in sessionStorage) until the relay
// announces itself, then go in order; a page left before that hands them to the next page.
// After that, records go in batches: one DOM event (so one message) for those of a short window.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CAPTURE_EVENT, RELAY_READY_EVENT, type CaptureRecord } from '../../../extension/shared/capture';
import { BATCH_MAX, BATCH_MS, relayLink, UNSENT_KEY } from '../../../extension/tracker/relay-link';

function fakeWindow(storage: Map<string, string>) {
  const target = new EventTarget();
  const sent: number[] = [];
  // Each DOM event is one message to the worker: its records, as seqs.
  const batches: number[][] = [];
  target.addEventListener(CAPTURE_EVENT, (e) => {
    const seqs = (JSON.parse((e as CustomEvent).detail) as CaptureRecord[]).map((r) => r.seq);
    batches.push(seqs);
    sent.push(...seqs);
  });
  const sessionStorage = {
    getItem: (k: string) => storage.get(k) ?? null,
    setItem: (k: string, v: string) => void storage.set(k, v),
    removeItem: (k: string) => void storage.delete(k),
  };
  return { win: Object.assign(target, { sessionStorage }) as unknown as Window, sent, batches, ready: () => target.dispatchEvent(new CustomEvent(RELAY_READY_EVENT)) };
}

const record = (seq: number) => ({ seq }) as CaptureRecord;

describe('relayLink', () => {
  afterEach(() => void vi.useRealTimers());

  it('holds records until the relay is ready, then sends them in order in one batch, and later ones within BATCH_MS', () => {
    vi.useFakeTimers();
    const storage = new Map<string, string>();
    const page = fakeWindow(storage);
    const link = relayLink(page.win);
    link.emit(record(1));
    link.emit(record(2));
    expect(page.sent).toEqual([]);
    expect(storage.size).toBe(0); // sessionStorage is left alone until the page is left
    page.ready();
    expect(page.batches).toEqual([[1, 2]]);
    expect(storage.has(UNSENT_KEY)).toBe(false);
    link.emit(record(3));
    page.ready(); // a second announcement sends nothing twice
    vi.advanceTimersByTime(BATCH_MS - 1);
    link.emit(record(4));
    expect(page.sent).toEqual([1, 2]); // waiting for the window to close
    vi.advanceTimersByTime(1);
    expect(page.batches).toEqual([[1, 2], [3, 4]]); // never later than BATCH_MS after the first
    link.emit(record(5));
    vi.advanceTimersByTime(BATCH_MS);
    expect(page.batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('a page left while a batch gathers sends it at once (a closed tab must not lose it)', () => {
    vi.useFakeTimers();
    const storage = new Map<string, string>();
    const page = fakeWindow(storage);
    const link = relayLink(page.win);
    page.ready();
    link.emit(record(1));
    link.leave(); // pagehide: the tracker's own PageExited is not sent, what waits is
    expect(page.batches).toEqual([[1]]);
    link.emit(record(2)); // the site's own pagehide push, after: at once too
    expect(page.batches).toEqual([[1], [2]]);
    link.emit(record(3), true);
    expect(page.batches).toEqual([[1], [2], [3]]);
    vi.runAllTimers();
    expect(page.sent).toEqual([1, 2, 3]); // nothing twice
    expect(storage.size).toBe(0);
  });

  it('many records waiting go in batches of at most BATCH_MAX', () => {
    const page = fakeWindow(new Map());
    const link = relayLink(page.win);
    for (let i = 1; i <= BATCH_MAX * 2 + 1; i++) link.emit(record(i));
    page.ready();
    expect(page.batches.map((b) => b.length)).toEqual([BATCH_MAX, BATCH_MAX, 1]);
    expect(page.sent).toEqual(Array.from({ length: BATCH_MAX * 2 + 1 }, (_, i) => i + 1));
  });

  it("a page left before its relay came: the next page of the tab sends that page's records first", () => {
    const storage = new Map<string, string>();
    const first = fakeWindow(storage);
    const a = relayLink(first.win);
    a.emit(record(1));
    a.emit(record(2), true); // PageExited, at pagehide
    expect(JSON.parse(storage.get(UNSENT_KEY)!)).toHaveLength(2);
    a.emit(record(3)); // the site's own pagehide push, after the tracker's PageExited
    expect(JSON.parse(storage.get(UNSENT_KEY)!)).toHaveLength(3);
    const second = fakeWindow(storage); // left too before its relay came
    relayLink(second.win).emit(record(5), true);
    expect(JSON.parse(storage.get(UNSENT_KEY)!)).toHaveLength(4);
    const next = fakeWindow(storage);
    const b = relayLink(next.win);
    b.emit(record(10));
    next.ready();
    expect(next.sent).toEqual([1, 2, 3, 5, 10]);
    expect(storage.has(UNSENT_KEY)).toBe(false);
  });

  it('leave() hands waiting records to the next page and sends nothing; with the relay there it does nothing', () => {
    const storage = new Map<string, string>();
    const page = fakeWindow(storage);
    const link = relayLink(page.win);
    link.leave();
    expect(storage.size).toBe(0); // nothing waiting: sessionStorage untouched
    link.emit(record(1));
    link.leave();
    expect(JSON.parse(storage.get(UNSENT_KEY)!)).toHaveLength(1);
    link.emit(record(2)); // the site's own pagehide push: after leave, kept for the next page too
    expect(JSON.parse(storage.get(UNSENT_KEY)!)).toHaveLength(2);
    expect(page.sent).toEqual([]);

    const ready = fakeWindow(new Map());
    const b = relayLink(ready.win);
    ready.ready();
    b.leave();
    b.emit(record(7)); // left: sent at once, no batch window
    expect(ready.sent).toEqual([7]);
  });

  it('works without sessionStorage, and ignores a stash that is not a list of strings', () => {
    const broken = new EventTarget();
    Object.defineProperty(broken, 'sessionStorage', { get: () => { throw new Error('sandboxed'); } });
    const sent: string[] = [];
    broken.addEventListener(CAPTURE_EVENT, (e) => sent.push(...JSON.parse((e as CustomEvent).detail)));
    const link = relayLink(broken as unknown as Window);
    link.emit(record(1));
    link.emit(record(2), true);
    broken.dispatchEvent(new CustomEvent(RELAY_READY_EVENT));
    expect(sent).toHaveLength(2);

    const storage = new Map([[UNSENT_KEY, '{"not":"a list"}']]);
    const page = fakeWindow(storage);
    relayLink(page.win);
    page.ready();
    expect(page.sent).toEqual([]);
  });
});
