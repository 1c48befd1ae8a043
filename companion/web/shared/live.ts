// Live updates by polling GET /lab/changes (a few numbers) once a second: the pages refetch
// only when its `seq` moved (or, for a visit's page, that visit's counts or state). Polling, not SSE: nothing to hold open per tab, it works unchanged
// under --auth and behind any proxy, and a second's delay is fine for a person watching.
import { useEffect, useRef, useState } from 'preact/hooks';

export const POLL_MS = 1000;

/**
 * How many times the companion's data changed since the page opened (0 until it does): pages
 * pass it to useLoad as their refresh trigger, so the first answer does not refetch what the
 * page has just loaded. With `visitId`, only that visit's changes count (its event and page
 * counts, state, end).
 */
export function useChanges(visitId?: string): number {
  const [mark, setMark] = useState<string | null>(null);
  const [moves, setMoves] = useState(0);
  const last = useRef<string | null>(null);
  useEffect(() => {
    if (mark === null) return;
    if (last.current !== null && last.current !== mark) setMoves((n) => n + 1);
    last.current = mark;
  }, [mark]);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const url = visitId === undefined ? '/lab/changes' : `/lab/changes?visitId=${encodeURIComponent(visitId)}`;
    const poll = async () => {
      try {
        const res = await fetch(url);
        if (res.ok) {
          const body = (await res.json()) as { seq: number; visit?: unknown };
          if (!stopped) setMark(visitId === undefined ? String(body.seq) : JSON.stringify(body.visit));
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
  }, [visitId]);
  return moves;
}
