// Reading the companion's APIs from the app: same origin (the browser sends the --auth
// credentials it was asked for), errors as the API's JSON says them.
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

async function failure(res: Response): Promise<ApiError> {
  let message = `${res.status} ${res.statusText}`;
  let field: string | undefined;
  try {
    const body = (await res.json()) as { message?: string; field?: string };
    if (body.message) message = `${res.status}: ${body.message}`;
    field = body.field;
  } catch {
    /* not JSON: the status says it */
  }
  return new ApiError(res.status, message, field);
}

/** One JSON answer; null for a 204 (an empty History collection). */
export async function getJson<T>(url: string, signal?: AbortSignal): Promise<{ body: T | null; next: string | null }> {
  // No extra headers: the visit page's reads must match the preloads in its HTML to use them.
  const res = await fetch(url, { signal });
  if (!res.ok) throw await failure(res);
  const next = res.headers.get('Paging-Next');
  return { body: res.status === 204 ? null : ((await res.json()) as T), next };
}

/**
 * Every page of a collection, following Paging-Next (as GWE clients do), 1,000 at a time; a
 * page past the History API's response bound is asked again with the size its answer says fits.
 */
export async function getAll<T>(url: string, signal?: AbortSignal): Promise<T[]> {
  const all: T[] = [];
  const sep = url.includes('?') ? '&' : '?';
  let key: string | null = null;
  let size = 1000;
  for (;;) {
    let page: { body: T[] | null; next: string | null };
    try {
      page = await getJson<T[]>(`${url}${sep}page_size=${size}${key ? `&page_key=${encodeURIComponent(key)}` : ''}`, signal);
    } catch (e) {
      const fits = e instanceof ApiError && e.field === 'page_size' ? /page_size=(\d+)/.exec(e.message) : null;
      if (!fits || Number(fits[1]) >= size) throw e;
      size = Number(fits[1]);
      continue;
    }
    if (page.body) for (const item of page.body) all.push(item);
    key = page.next;
    if (!key) return all;
  }
}

export async function postBody<T>(url: string, body: BodyInit, contentType: string): Promise<T> {
  const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': contentType, accept: 'application/json' } });
  if (!res.ok) throw await failure(res);
  return (await res.json()) as T;
}

export const q = (s: string) => encodeURIComponent(s);
