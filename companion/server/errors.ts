import type { ErrorRequestHandler, Response } from 'express';
import type { ApiError } from '../../protocol';
import { StorageError } from '../store/errors';

/** An error with the HTTP status and JSON body the client gets. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

// A parameter can have an empty name (`?=1`): the message quotes it so it still reads.
export const badRequest = (field: string, message: string) =>
  new HttpError(400, 'bad_request', `${field === '' ? '""' : field}: ${message}`, field);
export const notFound = (message: string) => new HttpError(404, 'not_found', message);
/**
 * A History answer that would pass the response bound: a 400 (the request asks for too much,
 * as a bad parameter does) naming the parameter to change, when one would help.
 */
export const responseTooLarge = (field: string | undefined, message: string) =>
  new HttpError(400, 'response_too_large', field === undefined ? message : `${field}: ${message}`, field);

export function sendError(res: Response, status: number, body: ApiError): void {
  res.status(status).json(body);
}

/**
 * Storage failures: a full disk, or a companion whose memory is nearly full, says so (507);
 * anything else is 503. Neither acknowledges anything.
 */
export function storageStatus(e: StorageError): number {
  return e.code === 'ENOSPC' || e.code === 'EDQUOT' || e.code === 'EFULL' ? 507 : 503;
}

/** Turns every error into a JSON answer; bad input never becomes a 500. */
export function errorHandler(log: (m: string) => void): ErrorRequestHandler {
  return (err, _req, res, next) => {
    if (res.headersSent) return next(err);
    if (err instanceof HttpError) {
      return sendError(res, err.status, { error: err.code, message: err.message, ...(err.field !== undefined ? { field: err.field } : {}) });
    }
    if (err instanceof StorageError) {
      return sendError(res, storageStatus(err), { error: 'storage_failed', message: `Nothing was stored: ${err.message}` });
    }
    // Express's own 4xx errors carry their status: body-parser's (413 too large, 415 an
    // unknown charset, 400 unreadable; their type starts "entity." or names the charset or
    // encoding, and a body that does not decompress is zlib's error, code Z_* or ERR_BROTLI_* /
    // ERR__ERROR_*) are about the body, others (a URL that does not decode) about the request.
    const status = typeof err?.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500;
    const aboutBody =
      (typeof err?.type === 'string' && /^(entity\.|charset\.|encoding\.|request\.)/.test(err.type)) ||
      (typeof err?.code === 'string' && typeof err?.errno === 'number' && /^(Z_|ERR_BROTLI|ERR__ERROR)/.test(err.code));
    const code = status === 413 ? 'too_large' : status === 415 ? 'unsupported_media_type' : 'bad_request';
    if (status < 500 && aboutBody) return sendError(res, status, { error: code, message: `request body: ${err.message}`, field: 'body' });
    if (status < 500) return sendError(res, status, { error: code, message: `request: ${err.message}` });
    log(`internal error: ${err?.stack ?? err}`);
    sendError(res, 500, { error: 'internal', message: 'internal error (see the companion log)' });
  };
}
