// Stored events are kept as their JSON text and parsed when read; eventNameOf reads the name
// without parsing when it can, and must give what parsing gives in every case.
import { describe, expect, it } from 'vitest';
import { emptyState, eventNameOf, eventOf, type LabState } from '../../../companion/engine';

function stateWith(rows: Record<string, unknown>): LabState {
  const state = emptyState();
  for (const [id, row] of Object.entries(rows)) state.events[id] = typeof row === 'string' ? row : (row as never);
  return state;
}

describe('stored events', () => {
  const texts = {
    plain: JSON.stringify({ eventType: 'SYSTEM', eventName: 'SignIn', eventID: 'plain', data: { eventName: 'inner' } }),
    business: JSON.stringify({ eventType: 'BUSINESS', eventName: 'Add "quoted" \\ to cart', eventID: 'business' }),
    unicode: JSON.stringify({ eventType: 'BUSINESS', eventName: 'Zahlung ✓', eventID: 'unicode' }),
    otherOrder: JSON.stringify({ eventID: 'otherOrder', data: { eventName: 'decoy' }, eventName: 'Real', eventType: 'BUSINESS' }),
    object: { eventType: 'BUSINESS', eventName: 'Applied', eventID: 'object' },
  };
  const state = stateWith(texts);

  it.each(Object.keys(texts))('eventNameOf(%s) is the parsed event name', (id) => {
    expect(eventNameOf(state, id)).toBe(eventOf(state, id).eventName);
  });

  it('eventOf parses each read afresh and leaves the stored text as it is', () => {
    const a = eventOf(state, 'plain');
    a.eventName = 'changed by a reader';
    expect(eventOf(state, 'plain').eventName).toBe('SignIn');
    expect(state.events.plain).toBe(texts.plain);
  });
});
