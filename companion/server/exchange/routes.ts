// The lab API's export and import: GET /lab/export (JSON, HAR 1.2 or CSV, of everything, a
// run, a visit or an identity's visits, streamed) and POST /lab/import (a JSON export or a HAR,
// replayed through intake).
import express, { Router } from 'express';
import { parseImport } from '../../../protocol';
import type { LabStore, Need } from '../../store/lab-store';
import { badRequest, HttpError } from '../errors';
import { parseQuery } from '../history/query';
import { csvExport, fileName, harExport, jsonExport, planExport, type ExportFormat } from './export';
import { replay } from './replay';
import { streamPieces } from './stream';

/** An import is a whole export, far past the 1 MB other bodies may have. */
export const IMPORT_LIMIT = '256mb';

const TYPES: Record<ExportFormat, string> = {
  json: 'application/json; charset=utf-8',
  har: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8; header=present',
};

/** What an export reads: its scope's visits with their events' texts, their identities and contacts. */
function exportNeed(q: { visitId?: string; identityId?: string; run?: string }): Need {
  const events = { visitEvents: 'texts', visitIdentities: true } as const;
  if (q.run !== undefined) return { runs: [q.run], runVisits: true, ...events };
  if (q.visitId !== undefined) return { visits: [q.visitId], ...events };
  if (q.identityId !== undefined) return { identities: [q.identityId], identityVisits: true, ...events };
  return { allVisits: true, allContacts: true, ...events };
}

export function exchangeRouter(store: LabStore, version = '0'): Router {
  const router = Router();
  const creator = { name: 'visitor-lab-companion', version };

  router.get('/export', async (req, res) => {
    const q = parseQuery(req.query as Record<string, unknown>, { format: ['json', 'har', 'csv'], visitId: 'text', identityId: 'text', run: 'text' });
    if (q.visitId !== undefined && q.identityId !== undefined) throw badRequest('identityId', 'give visitId or identityId, not both');
    if (q.run !== undefined && (q.visitId !== undefined || q.identityId !== undefined)) throw badRequest('run', 'give run, visitId or identityId, not two');
    const format = (q.format as ExportFormat | undefined) ?? 'json';
    const scope = q as { visitId?: string; identityId?: string; run?: string };
    const state = await store.read(exportNeed(scope));
    const plan = planExport(state, scope);
    const now = Date.now();
    res.setHeader('Content-Type', TYPES[format]);
    res.setHeader('Content-Disposition', `attachment; filename="${fileName(plan, format, now)}"`);
    res.setHeader('Cache-Control', 'no-store');
    const pieces =
      format === 'json' ? jsonExport(state, plan, creator, now)
      : format === 'har' ? harExport(state, plan, creator, `${req.protocol}://${req.get('host')}/server/events`)
      : csvExport(state, plan);
    await streamPieces(res, pieces);
  });

  router.post('/import', express.text({ type: () => true, limit: IMPORT_LIMIT }), async (req, res) => {
    parseQuery(req.query as Record<string, unknown>, {});
    // A saved file may start with a byte order mark, which JSON.parse refuses.
    const text = typeof req.body === 'string' ? req.body.replace(/^\uFEFF/, '') : '';
    if (text.trim() === '') throw new HttpError(400, 'bad_request', 'request body: empty, expected a Visitor Lab export or a HAR', 'body');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (e) {
      throw new HttpError(400, 'bad_request', `request body: not JSON (${(e as Error).message})`, 'body');
    }
    const plan = parseImport(body);
    if (!plan.ok) throw badRequest(plan.problem.field, plan.problem.reason);
    res.json(await replay(store, plan.value));
  });
  return router;
}
