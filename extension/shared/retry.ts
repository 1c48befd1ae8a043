/** Runs `send` until it resolves, waiting longer each time; gives up after `tries`. */
export async function sendWithRetry<T>(send: () => Promise<T>, tries = 8, firstDelayMs = 100): Promise<T | undefined> {
  let delay = firstDelayMs;
  for (let i = 0; i < tries; i++) {
    try {
      return await send();
    } catch {
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 5000);
    }
  }
  return undefined;
}
