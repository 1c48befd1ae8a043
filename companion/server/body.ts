import express, { type RequestHandler } from 'express';
import { HttpError } from './errors';

export const BODY_LIMIT = '1mb';

/**
 * Reads the body as JSON whatever its Content-Type (curl's -d sends form encoding), so a
 * hand-made request works and a broken one gets an error that says where it broke.
 */
export function jsonBody(): RequestHandler[] {
  return [
    express.text({ type: () => true, limit: BODY_LIMIT }),
    (req, _res, next) => {
      const text = typeof req.body === 'string' ? req.body : '';
      if (text.trim() === '') return next(new HttpError(400, 'bad_request', 'request body: empty, expected JSON', 'body'));
      try {
        req.body = JSON.parse(text);
      } catch (e) {
        return next(new HttpError(400, 'bad_request', `request body: not JSON (${(e as Error).message})`, 'body'));
      }
      next();
    },
  ];
}
