// The tracker's ids and the cookies that keep them on the site's domain (contract section 2).

/** 128 random bits as hex; getRandomValues also works on http pages (randomUUID does not). */
export function newId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let s = '';
  for (const b of bytes) s += (b < 16 ? '0' : '') + b.toString(16);
  return s;
}

/**
 * Reads and writes the page's cookies. document.cookie is read at most once a second (and after
 * each write of ours): a read can be a round trip to the browser, and a page's start reads
 * cookies for every command it pushes, which cost a tracked page ~7 ms of load time. Another
 * tab's sign-in or sign-out shows here within a second.
 */
export function cookieJar(doc: Document): [read: (name: string) => string | undefined, write: (name: string, value: string, maxAge?: number) => void] {
  let text: string | null = null;
  let readAt = 0;
  const cookies = (): string => {
    const now = Date.now();
    if (text === null || now - readAt > 1000) {
      text = doc.cookie;
      readAt = now;
    }
    return text;
  };
  return [
    (name) => {
      try {
        const hit = cookies().split('; ').find((c) => c.startsWith(name + '='));
        return hit ? decodeURIComponent(hit.slice(name.length + 1)) : undefined;
      } catch {
        return undefined;
      }
    },
    (name, value, maxAge) => {
      try {
        const age = maxAge === undefined ? '' : `; max-age=${maxAge}`;
        text = null;
        doc.cookie = `${name}=${encodeURIComponent(value)}; path=/; SameSite=Lax${age}`;
      } catch {
        // Cookies blocked (sandboxed frame): the ids live for this page only.
      }
    },
  ];
}
