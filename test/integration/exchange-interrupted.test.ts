// An export cut short must not look complete: a reset while it is written stops it, and the
// connection is cut rather than ended cleanly.
import express from 'express';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { jsonExport, planExport } from '../../companion/server/exchange/export';
import { ExportInterrupted } from '../../companion/server/exchange/order';
import { streamPieces } from '../../companion/server/exchange/stream';
import { useCompanion } from '../helpers/use-companion';
import { pageEntered, visitCtx, visitStarted } from '../helpers/events';
import type { Store } from '../../companion/store/store';

describe('a reset during an export', () => {
  const lab = useCompanion();

  it('stops the export where it is (ExportInterrupted), not with events of the new data', async () => {
    const c = visitCtx('before-reset');
    await lab.http.post('/server/events', [visitStarted(c), pageEntered(c, 'p1'), pageEntered(c, 'p2')]);
    const store = lab.companion.store as Store; // the embedded store's state, read in place as the export reads it
    const pieces = jsonExport(store.state, planExport(store.state, {}), { name: 't', version: '0' }, Date.now());
    const head = pieces.next();
    expect(head.done).toBe(false);
    await store.commit({ kind: 'reset' });
    expect(() => [...pieces]).toThrow(ExportInterrupted);
  });
});

describe('streamPieces', () => {
  async function serve(pieces: () => Iterable<string>): Promise<{ url: string; close: () => void }> {
    const app = express();
    app.get('/', (_req, res) => void streamPieces(res, pieces(), 16));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => server.close() };
  }

  it('writes every piece, in chunks', async () => {
    const s = await serve(function* () {
      for (let i = 0; i < 100; i++) yield `piece ${i};`;
    });
    try {
      const text = await (await fetch(s.url)).text();
      expect(text).toBe(Array.from({ length: 100 }, (_, i) => `piece ${i};`).join(''));
    } finally {
      s.close();
    }
  });

  it('cuts the connection when a piece cannot be made: the client sees an error, not a short file', async () => {
    const s = await serve(function* () {
      for (let i = 0; i < 10; i++) yield `piece ${i};`;
      throw new ExportInterrupted('reset');
    });
    try {
      const res = await fetch(s.url);
      expect(res.status).toBe(200);
      await expect(res.text()).rejects.toThrow();
    } finally {
      s.close();
    }
  });
});
