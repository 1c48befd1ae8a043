// The control API for people and test suites: health, reset, and the contact directory.
import { Router } from 'express';
import { parseContacts } from '../../protocol';
import { own, runOf } from '../engine';
import type { LabStore } from '../store/lab-store';
import type { RetentionReport } from '../retention';
import { jsonBody } from './body';
import { badRequest, HttpError, notFound } from './errors';
import { keyIndex, pageOf, windowSource } from './history/paging';
import { DEFAULT_PAGE_SIZE, PAGING, parseQuery } from './history/query';

export function labRouter(store: LabStore, version: string, retention?: () => RetentionReport): Router {
  const router = Router();
  router.get('/health', async (req, res) => {
    parseQuery(req.query as Record<string, unknown>, {});
    const counts = await store.counts();
    res.json({
      name: 'visitor-lab-companion',
      version,
      status: 'ok',
      startedAt: store.startedAt,
      uptimeSeconds: Math.round((Date.now() - store.startedAt) / 1000),
      store: store.kind,
      ...(store.kind === 'embedded' ? { dataDir: store.location } : { database: store.location }),
      visitExpirationTime: store.config.visitExpirationTime,
      counts,
      // What is kept: everything, or what --retain-days and --max-events leave.
      ...(retention ? { retention: retention() } : {}),
    });
  });

  // Without `run`, everything (runs included); with it, the run's visits whole (even events
  // other runs had in them: two suites never share a visit, each has its own browser) and the run.
  router.post('/reset', async (req, res) => {
    const q = parseQuery(req.query as Record<string, unknown>, { run: 'text' });
    if (q.run === undefined) {
      await store.commit({ kind: 'reset' });
      res.json({ status: 'reset' });
      return;
    }
    const run = runOf(await store.read({ runs: [q.run as string] }), q.run as string);
    if (!run) throw new HttpError(404, 'not_found', `run: no run ${q.run}`, 'run');
    await store.commit({ kind: 'forget', visitIds: [], runIds: [run.runId] });
    res.json({ status: 'reset', run: run.runId });
  });

  // A page at a time, as the History API's collections (page_size, Paging-Next / page_key),
  // so a directory of millions never makes one answer; an empty directory is [].
  router.get('/contacts', async (req, res) => {
    const q = parseQuery(req.query as Record<string, unknown>, PAGING);
    const size = (q.page_size as number | undefined) ?? DEFAULT_PAGE_SIZE;
    const entries = await store.window({ list: 'contacts', after: q.page_key === undefined ? null : keyIndex(q.page_key as string), count: size + 1 });
    const state = await store.read({ contacts: entries.map((e) => e.id) });
    const source = windowSource(entries, (id) => own(state.contacts, id));
    const page = pageOf(source, () => true, (c) => c.contactId, size, q.page_key as string | undefined);
    if (page.next) res.setHeader('Paging-Next', page.next);
    res.json(page.items);
  });

  router.get('/contacts/:contactId', async (req, res) => {
    parseQuery(req.query as Record<string, unknown>, {});
    const contact = own((await store.read({ contacts: [req.params.contactId] })).contacts, req.params.contactId);
    if (!contact) throw notFound(`no contact ${req.params.contactId}`);
    res.json(contact);
  });

  // Creates or updates contacts (one object or an array); 201 with what is stored.
  router.post('/contacts', ...jsonBody(), async (req, res) => {
    parseQuery(req.query as Record<string, unknown>, {});
    const parsed = parseContacts(req.body);
    if (!parsed.ok) throw badRequest(parsed.problem.field, parsed.problem.reason);
    const { contacts } = parsed;
    // As intake: an empty array is a mistake, not a write (it would journal an empty record).
    if (contacts.length === 0) throw badRequest('body', 'an empty array has no contacts');
    await store.commit({ kind: 'contacts', contacts });
    const stored = (await store.read({ contacts: contacts.map((c) => c.contactId) })).contacts;
    res.status(201).json(contacts.map((c) => stored[c.contactId]));
  });
  return router;
}
