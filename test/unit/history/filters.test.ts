// The age filter on events counts an event at the time the engine counted it (a clock far
// ahead counts as at most an hour after arrival), as the visit's own dates do.
import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../../protocol';
import { eventFilter } from '../../../companion/server/history/filters';

const T = 1_800_000_000_000;
const H = 3600_000;
const event = (timestamp: number, serverTimestamp: number): StoredEvent =>
  ({ eventType: 'BUSINESS', eventName: 'X', eventID: `e${timestamp}`, visitID: 'v', globalVisitID: 'g', timestamp, serverTimestamp, browserPageID: null, visitorState: 'Anonymous' }) as StoredEvent;

describe('age on events', () => {
  it('a timestamp three days ahead is not "recent" for ever', () => {
    // Two hours after T, the last half hour.
    const keep = eventFilter({ age: 1800 }, T + 2 * H, () => {
      throw new Error('not needed');
    });
    expect(keep(event(T + 72 * H, T))).toBe(false); // received at T: counted at T + 1 h
    expect(keep(event(T + 1.75 * H, T + 1.75 * H))).toBe(true); // an ordinary event of the last half hour
  });
});
