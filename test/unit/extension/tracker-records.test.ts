// @vitest-environment happy-dom
// records.ts: the capture records handed to the host: numbered in order, the pushed command made
// JSON-safe by the host's describe, what should be seen printed, no failure into the page.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { describeValue } from '../../../extension/tracker/commands';
import { clearCookies, pageWindow, trackerParts } from './tracker-fixture';

afterEach(() => {
  clearCookies();
  vi.restoreAllMocks();
});

describe('trackerRecords', () => {
  it("a record: who pushed what, its outcome, the ids now and the page's address and title", () => {
    const win = pageWindow('complete');
    win.document.title = 'Cart';
    const { record, ids } = trackerParts(win, { describe: describeValue });
    const cb = function onIds() {};
    expect(record('page', ['getIDs', cb], 5, { kind: 'getIDs', form: "['getIDs', callback]", callback: cb })).toEqual({
      seq: 0,
      at: 5,
      source: 'page',
      command: ['getIDs', 'ƒ onIds()'],
      form: "['getIDs', callback]",
      outcome: 'getIDs',
      reason: undefined,
      warning: undefined,
      events: [],
      ids: ids(),
      page: { url: 'http://shop.test/cart', title: 'Cart' },
    });
    // The tracker's own records carry no command; an event pushed by the page is 'event', by the tracker 'system'.
    expect(record('tracker', null, 5, { kind: 'event' })).toMatchObject({ command: null, outcome: 'system' });
    expect(record('lab', ['event', 'X'], 5, { kind: 'event', warning: 'w' })).toMatchObject({ outcome: 'event', warning: 'w' });
    expect(record('page', 1, 5, { kind: 'rejected', reason: 'r' })).toMatchObject({ outcome: 'rejected', reason: 'r' });
  });

  it('a describe that throws gives (unreadable); no describe, no command', () => {
    const throwing = trackerParts(pageWindow('complete'), { describe: () => { throw new Error('x'); } });
    expect(throwing.record('page', ['event', 'X'], 1, { kind: 'event' }).command).toBe('(unreadable)');
    expect(trackerParts(pageWindow('complete')).record('page', ['event', 'X'], 1, { kind: 'event' }).command).toBeNull();
  });

  it('delivered records are numbered in order; rejections and warnings are printed, the rest only with debug', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => undefined);
    const { record, deliver, delivered, config } = trackerParts(pageWindow('complete'));
    deliver(record('page', 1, 1, { kind: 'rejected', reason: 'bad' }), false, 1);
    deliver(record('page', 2, 1, { kind: 'event', warning: 'careful' }), false, 2);
    deliver(record('page', 3, 1, { kind: 'event' }), false, 3);
    config.debug = true;
    deliver(record('page', 4, 1, { kind: 'event' }), true, 4);
    expect(delivered.map((d) => [d.record.seq, d.leaving])).toEqual([[1, false], [2, false], [3, false], [4, true]]);
    expect(warn.mock.calls).toEqual([['[_gt] rejected:', 'bad', 1], ['[_gt]', 'careful', 2]]);
    expect(debug.mock.calls).toEqual([['[_gt]', 'event', [], 4]]);
  });

  it("a console that throws, or a host that fails, never reaches the page", () => {
    vi.spyOn(console, 'warn').mockImplementation(() => { throw new Error('console gone'); });
    const { record, deliver } = trackerParts(pageWindow('complete'), { emit: () => { throw new Error('host down'); } });
    expect(() => deliver(record('page', 1, 1, { kind: 'rejected', reason: 'bad' }))).not.toThrow();
  });
});
