// `window._gt`, the queue the page pushes commands on (contract section 1): commands pushed
// before the tracker loaded are handed back to be run in order; after that, push runs each one
// at once and nothing piles up.
type GtWindow = Window & { _gt?: unknown };
const MARK = '__visitorLab';

/** True when a tracker already owns the page's `_gt` (GPE.min.js loaded beside the extension's). */
export function queueOwned(win: Window): boolean {
  const prior = (win as GtWindow)._gt as Record<string, unknown> | undefined;
  return !!(prior && prior[MARK]);
}

/** Takes `_gt` over, running each command with `run`; returns what was pushed before. */
export function installQueue(win: Window, run: (command: unknown) => void): unknown[] {
  const w = win as GtWindow;
  const prior = w._gt;
  const queue: unknown[] = [];
  Object.defineProperty(queue, 'push', {
    value: (...commands: unknown[]) => {
      for (const c of commands) run(c);
      return 0;
    },
  });
  Object.defineProperty(queue, MARK, { value: true });
  try {
    // An accessor, so that a site doing `window._gt = []` later is still tracked: the new
    // array's commands are run and `_gt` keeps being this queue.
    Object.defineProperty(w, '_gt', {
      configurable: true,
      enumerable: true,
      get: () => queue,
      set: (value: unknown) => {
        if (value !== queue && Array.isArray(value)) for (const c of value.slice()) run(c);
      },
    });
  } catch {
    w._gt = queue;
  }
  return Array.isArray(prior) ? prior.slice() : [];
}
