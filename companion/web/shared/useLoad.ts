// Loading data for a page: the last good answer stays on screen while a refetch of the same
// thing (a live update) runs, so the page does not flash empty once a second; another `key`
// (another visit, other filters) starts empty.
import { useEffect, useState } from 'preact/hooks';

export interface Loaded<T> {
  data: T | null;
  error: Error | null;
  loading: boolean;
}

export function useLoad<T>(key: string, load: (signal: AbortSignal) => Promise<T>, refresh: unknown = null): Loaded<T> {
  const [state, setState] = useState<Loaded<T> & { key: string }>({ key, data: null, error: null, loading: true });
  useEffect(() => {
    const abort = new AbortController();
    setState((s) => (s.key === key ? { ...s, loading: true } : { key, data: null, error: null, loading: true }));
    load(abort.signal).then(
      (data) => !abort.signal.aborted && setState({ key, data, error: null, loading: false }),
      (error: Error) => !abort.signal.aborted && setState((s) => ({ key, data: s.key === key ? s.data : null, error, loading: false })),
    );
    return () => abort.abort();
  }, [key, refresh]);
  return state.key === key ? state : { data: null, error: null, loading: true };
}
