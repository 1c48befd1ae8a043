// GET /lab/openapi.json: the document, built once at start; only `servers` follows the request
// (the address the caller reached the companion at), and each such text is kept with its ETag.
import { createHash } from 'node:crypto';
import { Router, type Request } from 'express';
import { parseQuery } from '../history/query';
import { openApiDocument, type DocumentOptions } from './document';

export const OPENAPI_PATH = '/openapi.json';
/** Distinct Host values kept (a companion bound to 0.0.0.0 may be reached under many names). */
const MAX_KEPT = 16;

interface Sent {
  text: string;
  etag: string;
}

export function openApiRouter(options: DocumentOptions): Router {
  const document = openApiDocument(options);
  const kept = new Map<string, Sent>();
  const sentFor = (req: Request): Sent => {
    const server = `${req.protocol}://${req.get('host') ?? '127.0.0.1'}`;
    let sent = kept.get(server);
    if (!sent) {
      const text = JSON.stringify({ ...document, servers: [{ url: server, description: 'this companion' }] }, null, 2);
      sent = { text, etag: `"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"` };
      if (kept.size < MAX_KEPT) kept.set(server, sent);
    }
    return sent;
  };

  const router = Router();
  router.get(OPENAPI_PATH, (req, res) => {
    parseQuery(req.query as Record<string, unknown>, {});
    const { text, etag } = sentFor(req);
    res.setHeader('ETag', etag);
    res.setHeader('Cache-Control', 'no-cache');
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    res.type('application/json; charset=utf-8').send(text);
  });
  return router;
}
