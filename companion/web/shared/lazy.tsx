// A page loaded on demand: its code is a chunk of its own (companion/build.ts splits them), so
// every other page does not fetch and compile it first. Until it has come, a status line says
// so; a chunk that cannot be loaded (the companion stopped) says that instead.
import type { ComponentType, JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';

export function lazyPage<P extends object>(load: () => Promise<ComponentType<P>>): (props: P) => JSX.Element {
  let loaded: ComponentType<P> | null = null;
  return function LazyPage(props: P) {
    const [page, setPage] = useState<{ C: ComponentType<P> } | { error: string } | null>(loaded ? { C: loaded } : null);
    useEffect(() => {
      if (page) return;
      let live = true;
      load().then(
        (C) => {
          loaded = C;
          if (live) setPage({ C });
        },
        (e: Error) => live && setPage({ error: e.message }),
      );
      return () => void (live = false);
    }, []);
    if (page && 'C' in page) return <page.C {...props} />;
    if (page) return <p role="alert">This page could not be loaded ({page.error}): reload to try again.</p>;
    return <p role="status">Loading…</p>;
  };
}
