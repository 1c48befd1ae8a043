// HTTP helpers for integration tests that need more than fetch allows: a raw request (to set
// or drop the Host header), Basic credentials, and the JSON content type the companion sends.
import { request } from 'node:http';

export const JSON_TYPE = 'application/json; charset=utf-8';

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

/**
 * A request with headers fetch will not let us set (Host), a path sent as given (fetch would
 * resolve `..`), or exact body bytes (a Buffer: invalid UTF-8). `signal` aborts it.
 */
export function raw(
  port: number,
  method: string,
  p: string,
  headers: Record<string, string>,
  body?: string | Buffer,
  signal?: AbortSignal,
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const all: Record<string, string> = { ...headers, ...(body?.length ? { 'content-length': String(Buffer.byteLength(body)) } : {}) };
    // An empty host means "send no Host header at all" (setHost: false).
    const noHost = all.host === '';
    if (noHost) delete all.host;
    const req = request({ host: '127.0.0.1', port, method, path: p, headers: all, setHost: !noHost, signal }, (res) => {
      let text = '';
      res.on('error', reject); // aborted (the signal) mid-answer
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => {
        let parsed: unknown = text;
        try {
          parsed = text ? JSON.parse(text) : null;
        } catch {
          /* keep the text */
        }
        resolve({ status: res.statusCode!, headers: res.headers, body: parsed });
      });
    });
    req.on('error', reject);
    if (body?.length) req.write(body);
    req.end();
  });
}

export const basic = (cred: string) => ({ authorization: 'Basic ' + Buffer.from(cred).toString('base64') });
