// The lab API for categories (GWE's Simple Engagement Model): read the definitions, replace
// them (PUT), add or change some by name (POST), remove one (DELETE). Each change is a journal
// operation, so the definitions survive a restart; events take them at intake from then on.
import { Router } from 'express';
import { parseCategories, type Category } from '../categories/definitions';
import type { LabStore } from '../store/lab-store';
import { jsonBody } from './body';
import { badRequest, notFound } from './errors';
import { parseQuery } from './history/query';

function parsed(body: unknown): Category[] {
  const check = parseCategories(body);
  if (!check.ok) throw badRequest(check.problem.field, check.problem.reason);
  return check.categories;
}

export function labCategoriesRouter(store: LabStore): Router {
  const router = Router();
  const current = async () => (await store.read({})).categories ?? [];

  router.get('/categories', async (req, res) => {
    parseQuery(req.query as Record<string, unknown>, {});
    res.json(await current());
  });

  // The whole set: [] removes every category.
  router.put('/categories', ...jsonBody(), async (req, res) => {
    parseQuery(req.query as Record<string, unknown>, {});
    if (!Array.isArray(req.body)) throw badRequest('body', 'must be an array of categories (PUT replaces them all)');
    await store.commit({ kind: 'categories', categories: parsed(req.body) });
    res.json(await current());
  });

  // One category or an array: each replaces the one of the same name, or is added after the rest.
  router.post('/categories', ...jsonBody(), async (req, res) => {
    parseQuery(req.query as Record<string, unknown>, {});
    const given = parsed(req.body);
    if (given.length === 0) throw badRequest('body', 'an empty array has no categories');
    const byName = new Map(given.map((c) => [c.name, c]));
    const before = await current();
    const kept = before.map((c) => byName.get(c.name) ?? c);
    const added = given.filter((c) => !before.some((k) => k.name === c.name));
    await store.commit({ kind: 'categories', categories: [...kept, ...added] });
    res.status(201).json(await current());
  });

  router.delete('/categories/:name', async (req, res) => {
    parseQuery(req.query as Record<string, unknown>, {});
    const name = req.params.name;
    const before = await current();
    if (!before.some((c) => c.name === name)) throw notFound(`no category ${name}`);
    await store.commit({ kind: 'categories', categories: before.filter((c) => c.name !== name) });
    res.json(await current());
  });
  return router;
}
