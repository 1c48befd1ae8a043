// Writing a long answer without building it whole or holding the server: the pieces are
// gathered into chunks of about CHUNK characters, each written as soon as it is full, with a
// turn of the event loop after it (and a wait for the socket when it is behind), so other
// requests are answered between chunks, as the snapshot capture does between its slices.
import type { Response } from 'express';

export const CHUNK = 64 * 1024;

const turn = () => new Promise<void>((r) => setImmediate(r));

/** Resolves when the socket takes more; rejects when the client went away. */
function drained(res: Response): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', gone);
      resolve();
    };
    const gone = () => {
      res.off('drain', done);
      res.off('close', gone);
      reject(new Error('the client closed the connection'));
    };
    res.on('drain', done);
    res.on('close', gone);
  });
}

/**
 * Writes the pieces and ends the answer. A piece that cannot be made (the state was reset
 * meanwhile) or a client that leaves cuts the connection: an answer cut short must not look
 * complete, and its headers (200) are gone already.
 */
export async function streamPieces(res: Response, pieces: Iterable<string>, chunk = CHUNK): Promise<void> {
  let buffer = '';
  try {
    for (const piece of pieces) {
      buffer += piece;
      if (buffer.length < chunk) continue;
      if (res.destroyed) return;
      const ok = res.write(buffer);
      buffer = '';
      if (!ok) await drained(res);
      await turn();
    }
    res.end(buffer);
  } catch {
    res.destroy();
  }
}
