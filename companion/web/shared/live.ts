// Live updates by polling GET /lab/changes (two numbers) once a second: the pages refetch only
// when its `seq` moved. Polling, not SSE: nothing to hold open per tab, it works unchanged
// under --auth and behind any proxy, and a second's delay is fine for a person watching.
import { useEffect, useState } from 'preact/hooks';

export const POLL_MS = 1000;

/** The companion's change counter, or null until the first answer. */
export function useChanges(): number | null {
  const [seq, setSeq] = useState<number | null>(null);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const res = await fetch('/lab/changes', { headers: { accept: 'application/json' } });
        if (res.ok) {
          const body = (await res.json()) as { seq: number };
          if (!stopped) setSeq(body.seq);
        }
      } catch {
        /* the companion stopped: try again later */
      }
      // Not while the tab is hidden: a background tab costs the companion nothing.
      if (!stopped) timer = setTimeout(poll, document.hidden ? POLL_MS * 5 : POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, []);
  return seq;
}
