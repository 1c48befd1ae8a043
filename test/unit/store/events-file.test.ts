// The snapshot's events file: what is written is read back, whatever the ids hold (most are
// quoted by hand, the rest by JSON.stringify), across the 1 MiB chunks it is written in.
import { describe, expect, it } from 'vitest';
import { appendEventsFile, readEventsFile, writeEventsFile } from '../../../companion/store/events-file';
import { tempDirs } from '../../helpers/temp-dirs';

const dirs = tempDirs();
const text = (id: string, pad = 0) => JSON.stringify({ eventID: id, data: { pad: 'x'.repeat(pad) }, visitorState: 'Anonymous' });

describe('events file', () => {
  it('reads back ids that need escaping and ids that do not, and appends', async () => {
    const dir = dirs();
    const odd = ['plain-1', 'quote"d', 'back\\slash', 'tab\there', 'é-accent', '✓ mark', 'emoji 😀', 'ctl\u0001', 'del\u007f', ' spaced ', '{brace}'];
    const events: Record<string, string> = Object.fromEntries(odd.map((id) => [id, text(id)]));
    const ref = await writeEventsFile(dir, 1, odd, events);
    expect(await readEventsFile(dir, ref)).toEqual(events);
    const more = ['later"1', 'later-2'];
    for (const id of more) events[id] = text(id);
    const appended = await appendEventsFile(dir, ref, more, events);
    expect(appended.count).toBe(odd.length + more.length);
    expect(await readEventsFile(dir, appended)).toEqual(events);
  });

  it('writes many lines across chunk boundaries without losing or splitting one', async () => {
    const dir = dirs();
    const ids = Array.from({ length: 6_000 }, (_, i) => (i % 7 === 0 ? `e"${i}` : `e${i}`));
    const events = Object.fromEntries(ids.map((id, i) => [id, text(id, i % 900)]));
    const ref = await writeEventsFile(dir, 1, ids, events);
    expect(ref.bytes).toBeGreaterThan(2 * 2 ** 20); // three chunks at least
    const back = await readEventsFile(dir, ref);
    expect(Object.keys(back)).toEqual(ids);
    expect(back).toEqual(events);
  });
});
