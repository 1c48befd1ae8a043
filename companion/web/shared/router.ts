// History API routing: every page has a real path (/visits/{visitId}, /identities/{id}), so a
// reload or a shared link opens it; the server answers the app's HTML for these paths.
import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { page: 'visits'; query: URLSearchParams }
  | { page: 'visit'; visitId: string }
  | { page: 'identity'; identityId: string }
  | { page: 'contacts' }
  | { page: 'health' }
  | { page: 'check'; query: URLSearchParams }
  | { page: 'runs' }
  | { page: 'run'; runId: string }
  | { page: 'missing'; path: string };

export function routeOf(pathname: string, search: string): Route {
  const m = /^\/(visits|identities)\/([^/]+)\/?$/.exec(pathname);
  if (m) {
    let id: string;
    try {
      id = decodeURIComponent(m[2]);
    } catch {
      return { page: 'missing', path: pathname };
    }
    return m[1] === 'visits' ? { page: 'visit', visitId: id } : { page: 'identity', identityId: id };
  }
  const run = /^\/runs\/([^/]+)\/?$/.exec(pathname);
  if (run) {
    try {
      return { page: 'run', runId: decodeURIComponent(run[1]) };
    } catch {
      return { page: 'missing', path: pathname };
    }
  }
  if (pathname === '/runs' || pathname === '/runs/') return { page: 'runs' };
  if (pathname === '/') return { page: 'visits', query: new URLSearchParams(search) };
  if (pathname === '/contacts' || pathname === '/contacts/') return { page: 'contacts' };
  if (pathname === '/health' || pathname === '/health/') return { page: 'health' };
  if (pathname === '/check' || pathname === '/check/') return { page: 'check', query: new URLSearchParams(search) };
  return { page: 'missing', path: pathname };
}

const listeners = new Set<() => void>();

/** Goes to `href` without reloading; `replace` for filter changes (no history entry each key). */
export function navigate(href: string, replace = false): void {
  if (replace) history.replaceState(null, '', href);
  else history.pushState(null, '', href);
  for (const l of listeners) l();
}

export function useRoute(): Route {
  const read = () => routeOf(location.pathname, location.search);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const update = () => setRoute(read());
    listeners.add(update);
    addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      removeEventListener('popstate', update);
    };
  }, []);
  return route;
}

export const visitHref = (visitId: string) => `/visits/${encodeURIComponent(visitId)}`;
export const identityHref = (identityId: string) => `/identities/${encodeURIComponent(identityId)}`;
export const runHref = (runId: string) => `/runs/${encodeURIComponent(runId)}`;

/** A click on an app link (not with a modifier: a new tab is the browser's) stays in the app. */
export function onLinkClick(e: MouseEvent): void {
  const a = (e.target as Element).closest?.('a');
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || a.target || a.hasAttribute('download')) return;
  if (routeOf(url.pathname, url.search).page === 'missing') return;
  e.preventDefault();
  navigate(url.pathname + url.search);
  scrollTo(0, 0);
}
