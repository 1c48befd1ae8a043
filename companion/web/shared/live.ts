// Live updates by polling GET /lab/changes (two numbers) once a second: the pages refetch only
// when its `seq` moved. Polling, not SSE: nothing to hold open per tab, it works unchanged
// under --auth and behind any proxy, and a second's delay is fine for a person watching.
import { useEffect, useRef, useState } from 'preact/hooks';

export const POLL_MS = 1000;

/**
 * How many times the companion's data changed since the page opened (0 until it does): pages
 * pass it to useLoad as their refresh trigger, so the first answer does not refetch what the
 * page has just loaded.
 */
export function useChanges(): number {
  const [seq, setSeq] = useState<number | null>(null);
  const [moves, setMoves] = useState(0);
  const last = useRef<number | null>(null);
  useEffect(() => {
    if (seq === null) return;
    if (last.current !== null && last.current !== seq) setMoves((n) => n + 1);
    last.current = seq;
  }, [seq]);
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
  return moves;
}
