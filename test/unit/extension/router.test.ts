import { describe, expect, it } from 'vitest';
import { route, type Worker } from '../../../extension/worker/router';

// Nothing of the worker may be reached by these requests: any use of it fails the test.
const untouchable = new Proxy({} as Worker, {
  get: (_t, key) => {
    throw new Error(`the worker was used (${String(key)})`);
  },
});

describe('route: who may ask the worker what', () => {
  it('a content script (which relays whatever the page says) may not change settings or act on tabs', async () => {
    for (const msg of [
      { type: 'settings:set', companionUrl: 'http://evil.test' },
      { type: 'site:set', host: 'bank.test', enabled: true },
      { type: 'tab:lab', tabId: 3, lab: { type: 'newVisit' } },
      { type: 'tab:newVisit', tabId: 3 },
      { type: 'tab:get', tabId: 3 },
      { type: 'companion:flush' },
    ] as const) {
      expect(await route(untouchable, msg, 7, false)).toEqual({ ok: false, error: 'not allowed from a page' });
    }
  });

  it('a capture is taken only from a tab', async () => {
    expect(await route(untouchable, { type: 'capture', record: {} as never }, undefined, true)).toEqual({ ok: false });
  });
});
