import { describe, expect, it } from 'vitest';
import { MAX_RECORD_BYTES, saneRecord } from '../../../extension/worker/router';

const good = () => ({
  seq: 1,
  at: 1000,
  source: 'page',
  command: ['event', 'X'],
  outcome: 'event',
  events: [{ eventID: 'e1', eventName: 'X' }],
  ids: { globalVisitID: 'g', visitID: 'v', pageID: 'p' },
  page: { url: 'http://localhost/', title: '' },
});

describe('saneRecord: what the worker takes from a tab (a page script could send anything)', () => {
  it('takes a record shaped like the tracker’s', () => {
    expect(saneRecord(good(), 5000)).toMatchObject({ seq: 1, at: 1000 });
  });
  it('refuses other shapes', () => {
    for (const bad of [null, 'x', 42, {}, { ...good(), seq: 1.5 }, { ...good(), at: Infinity }, { ...good(), events: 'no' },
      { ...good(), events: [null] }, { ...good(), events: [{ eventID: 7 }] }, { ...good(), ids: { pageID: 'p' } }, { ...good(), page: null }]) {
      expect(saneRecord(bad, 5000)).toBeNull();
    }
  });
  it('refuses a record too large to keep', () => {
    expect(saneRecord({ ...good(), command: 'x'.repeat(MAX_RECORD_BYTES) }, 5000)).toBeNull();
  });
  it('a time in the future becomes now (it would pin the tab’s ids)', () => {
    expect(saneRecord({ ...good(), at: 9e15 }, 5000)!.at).toBe(5000);
  });
});
