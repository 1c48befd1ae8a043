// A snapshot's capture: the same copy whether taken at once or a slice at a time, with turns
// of the event loop between slices (reads run there), and refused if the state changed meanwhile.
import { describe, expect, it } from 'vitest';
import { applyOperation, DEFAULT_ENGINE_CONFIG, emptyState } from '../../../companion/engine';
import { captureState, captureStateInSlices } from '../../../companion/store/capture';
import { ev, pageEntered, signIn, stored, visitCtx, visitStarted } from '../../helpers/events';

function bigState() {
  const state = emptyState();
  const events = [];
  for (let v = 0; v < 300; v++) {
    const c = visitCtx(`cap-v${v}`);
    events.push(visitStarted(c), pageEntered(c, 'p1'), signIn(c, { userId: `u${v % 40}` }), ev(c, 'AddToCart', { pageID: 'p1' }), pageEntered(c, 'p2'));
  }
  applyOperation(state, { seq: 1, op: { kind: 'events', userAgent: null, events: events.map((e) => stored(e)) } }, DEFAULT_ENGINE_CONFIG);
  return state;
}

describe('captureStateInSlices', () => {
  it('copies what captureState copies, letting other work run between slices', async () => {
    const state = bigState();
    let turns = 0;
    const ticker = setInterval(() => turns++, 0);
    const sliced = await captureStateInSlices(state, 50);
    clearInterval(ticker);
    expect(JSON.stringify(sliced)).toBe(JSON.stringify(captureState(state)));
    expect(turns).toBeGreaterThan(0);
  });

  it('refuses a capture during which the state changed', async () => {
    const state = bigState();
    const capture = captureStateInSlices(state, 50);
    state.seq++; // what applying an operation does
    await expect(capture).rejects.toThrow(/changed while it was captured/);
  });
});
