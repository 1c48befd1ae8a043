// What check, export and import share: which companion to talk to, how, and how each failure
// becomes one line and an exit code (a script reads the code, a person reads the line).
import type { ApiError } from '../../protocol';

export const DEFAULT_COMPANION = 'http://127.0.0.1:9081';

/** Exit codes: 1 is kept for "the spec does not hold" (check) and server failures. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** Ends the command with `visitor-lab: message` on stderr and the code. */
export class CliExit extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export const usage = (command: string, message: string) =>
  new CliExit(EXIT.usage, `${message}\nRun visitor-lab ${command} --help for the options.`);

export interface Target {
  url: string;
  /** USER:PASS for a companion started with --auth. */
  auth?: string;
}

/** --companion, else VISITOR_LAB_URL, else the default; --auth, else VISITOR_LAB_AUTH. */
export function target(command: string, flags: { companion?: string; auth?: string }): Target {
  const raw = flags.companion ?? process.env.VISITOR_LAB_URL ?? DEFAULT_COMPANION;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw usage(command, `--companion must be a URL like ${DEFAULT_COMPANION}, not "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw usage(command, `--companion must be an http:// or https:// URL, not "${raw}"`);
  const auth = flags.auth ?? process.env.VISITOR_LAB_AUTH;
  if (auth !== undefined && !/^[^:]+:.+$/.test(auth)) throw usage(command, '--auth must look like user:password');
  return { url: url.href.replace(/\/+$/, ''), auth };
}

/** A request to the companion; an unreachable one ends the command with what to do. */
export async function request(to: Target, method: string, pathAndQuery: string, body?: { type: string; data: string | Uint8Array }): Promise<Response> {
  const headers: Record<string, string> = {};
  if (body) headers['content-type'] = body.type;
  if (to.auth) headers.authorization = 'Basic ' + Buffer.from(to.auth).toString('base64');
  try {
    return await fetch(to.url + pathAndQuery, { method, headers, body: body?.data as BodyInit | undefined });
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (e as Error).message;
    throw new CliExit(
      EXIT.usage,
      `cannot reach the companion at ${to.url} (${why}). Start one with \`visitor-lab start\` (or \`npm start\`), or point --companion (or VISITOR_LAB_URL) at the one running.`,
    );
  }
}

/**
 * A non-2xx answer as one line: 401 says to pass --auth, 400 names the field at fault.
 * Client mistakes (4xx) exit 2; the companion's own failures (5xx) exit 1.
 */
export async function answerProblem(res: Response, to: Target, what: string): Promise<CliExit> {
  const text = await res.text();
  let body: Partial<ApiError> & { reason?: string } = {};
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON: said as text below */
  }
  if (res.status === 401) {
    return new CliExit(EXIT.usage, `the companion at ${to.url} asks for credentials: pass --auth USER:PASS (or set VISITOR_LAB_AUTH), as it was started with.`);
  }
  const said = body.message ?? body.reason ?? (text.trim().slice(0, 300) || res.statusText);
  const field = body.field && !said.startsWith(body.field) ? `${body.field}: ` : '';
  return new CliExit(res.status >= 500 ? EXIT.failed : EXIT.usage, `${what}: the companion answered ${res.status}: ${field}${said}`);
}
