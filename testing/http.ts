// The one way the helper library talks to a companion: JSON over fetch, its credentials, and
// errors that say which request failed and what the companion answered.

export class CompanionError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(message);
    this.name = 'CompanionError';
  }
}

export interface Answer<T> {
  status: number;
  body: T;
  headers: Headers;
}

export interface Http {
  readonly url: string;
  /** Any status; the body parsed when it is JSON. */
  send<T = unknown>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Answer<T>>;
  /** A 2xx answer's body, else a CompanionError naming the request and the companion's message. */
  json<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
}

export function basicAuth(userPass: string): string {
  return `Basic ${Buffer.from(userPass, 'utf8').toString('base64')}`;
}

export function http(url: string, auth?: string): Http {
  const base: Record<string, string> = auth ? { authorization: basicAuth(auth) } : {};
  const send = async <T,>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer<T>> => {
    const res = await fetch(url + path, {
      method,
      headers: { ...base, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).catch((e: Error) => {
      throw new Error(`${method} ${url}${path}: the companion did not answer (${(e.cause as Error | undefined)?.message ?? e.message}). Is it running?`);
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON: kept as text */
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  };
  return {
    url,
    send,
    async json<T>(method: string, path: string, body?: unknown): Promise<T> {
      const a = await send<T>(method, path, body);
      if (a.status >= 200 && a.status < 300) return a.body;
      const b = a.body as { message?: string; field?: string; reason?: string } | string | null;
      const said = typeof b === 'string' ? b : [b?.field, b?.reason ?? b?.message].filter(Boolean).join(': ');
      throw new CompanionError(`${method} ${path} answered ${a.status}${said ? `: ${said}` : ''}`, a.status, a.body);
    },
  };
}
