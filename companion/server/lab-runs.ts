// Runs (issue 11): POST /lab/runs, POST /lab/runs/{runId}/stop, GET /lab/runs[/{runId}].
// A run names a stretch of testing; intake puts events in it (run-membership.ts).
import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import type { CheckReport } from '../../protocol/expectations/types';
import { parseRunStart, type RunResource, type RunSummary } from '../../protocol/runs';
import { runOf, runsNewestFirst, undeliveredOf, type LabState, type RunRecord } from '../engine';
import { readEventsInto, type LabStore } from '../store/lab-store';
import { ActiveRunTaken } from '../store/errors';
import { jsonBody } from './body';
import { badRequest, HttpError } from './errors';
import { DEFAULT_PAGE_SIZE, PAGING, parseQuery } from './history/query';
import { runCapturesRoutes } from './lab-run-captures';

export const newRunId = () => `run-${randomBytes(9).toString('base64url')}`;

export function runSummary(state: LabState, run: RunRecord): RunSummary {
  return { runId: run.runId, name: run.name, startedAt: run.startedAt, stoppedAt: run.stoppedAt, active: state.activeRunId === run.runId };
}

export function runResource(state: LabState, run: RunRecord): RunResource {
  return {
    ...runSummary(state, run),
    counts: { visits: run.visitIds.length, events: run.eventIds.length, rejected: run.rejected, duplicates: run.duplicates },
    visitIds: run.visitIds.slice(),
    problems: run.problems.slice(),
    checks: run.checks.slice(),
    ...(run.captured ? { captures: { captured: run.capturedCount ?? run.captured.length, undelivered: undeliveredOf(state, run).length } } : {}),
  };
}

/** The run a path names; 404 naming it. */
export function runInPath(state: LabState, runId: string): RunRecord {
  const run = runOf(state, runId);
  if (!run) throw new HttpError(404, 'not_found', `no run ${runId}`, 'runId');
  return run;
}

/**
 * Records a check's outcome on the run it was run against (POST /lab/check with `run`), durably:
 * GET /lab/runs/{runId} lists it in `checks`. A run reset meanwhile takes nothing.
 */
export async function recordRunCheck(store: LabStore, runId: string, report: CheckReport, checkedAt = Date.now()): Promise<void> {
  await store.commit({ kind: 'run-check', runId, check: { checkedAt, spec: report.spec, passed: report.passed, summary: { ...report.summary } } });
}

const keyOf = (runId: string) => Buffer.from(runId, 'utf8').toString('base64url');

/**
 * Newest first, a page at a time (page_size, Paging-Next / page_key as the other lab lists).
 * The key names the last run given: a run started meanwhile comes first and does not shift
 * the pages after it.
 */
function pageOfRuns(state: LabState, size: number, key: string | undefined): { items: RunRecord[]; next: string | null } {
  const all = runsNewestFirst(state);
  let from = 0;
  if (key !== undefined) {
    const runId = /^[A-Za-z0-9_-]+$/.test(key) ? Buffer.from(key, 'base64url').toString('utf8') : '';
    const at = all.findIndex((r) => r.runId === runId);
    if (at < 0) throw badRequest('page_key', 'is not a key this API gave (take it from the Paging-Next header), or its run was reset since');
    from = at + 1;
  }
  const items = all.slice(from, from + size);
  return { items, next: from + size < all.length ? keyOf(items[items.length - 1].runId) : null };
}

export function labRunsRouter(store: LabStore): Router {
  const router = Router();
  // Starts are taken one at a time: two suites asking for the active run at once must not both get it.
  let starting: Promise<unknown> = Promise.resolve();

  /** A run's state: the run, and the stored events among those captured for it (undelivered are the others). */
  const runState = async (runId: string) => {
    const state = await store.read({ runs: [runId] });
    await readEventsInto(store, state, runOf(state, runId)?.captured?.map((c) => c.eventID) ?? []);
    return state;
  };

  router.post('/runs', ...jsonBody(), async (req, res) => {
    parseQuery(req.query as Record<string, unknown>, {});
    const parsed = parseRunStart(req.body);
    if (!parsed.ok) throw badRequest(parsed.problem.field, parsed.problem.reason);
    const { name, active } = parsed.value;
    const start = starting.then(async () => {
      const before = await store.read({ runs: 'all' });
      const current = before.activeRunId ? runOf(before, before.activeRunId) : undefined;
      if (active && current) {
        throw new HttpError(409, 'conflict', `active: run ${current.runId} (${JSON.stringify(current.name)}) is the active run; stop it first (POST /lab/runs/${current.runId}/stop)`, 'active');
      }
      const run = { runId: newRunId(), name, startedAt: Date.now() };
      // Another companion on the same database may have started one meanwhile: its store says so.
      await store.commit({ kind: 'run-start', run, active }).catch((e: unknown) => {
        if (!(e instanceof ActiveRunTaken)) throw e;
        throw new HttpError(409, 'conflict', `active: run ${e.runId} (${JSON.stringify(e.runName)}) is the active run; stop it first (POST /lab/runs/${e.runId}/stop)`, 'active');
      });
      const after = await store.read({ runs: [run.runId] });
      return runSummary(after, runOf(after, run.runId)!);
    });
    starting = start.catch(() => undefined);
    res.status(201).json(await start);
  });

  // Stopping twice is fine: the second answers the run as the first left it.
  router.post('/runs/:runId/stop', async (req, res) => {
    parseQuery(req.query as Record<string, unknown>, {});
    const before = await store.read({ runs: [req.params.runId] });
    const run = runInPath(before, req.params.runId);
    if (run.stoppedAt === null || before.activeRunId === run.runId) await store.commit({ kind: 'run-stop', runId: run.runId, at: Date.now() });
    const after = await store.read({ runs: [run.runId] });
    res.json(runSummary(after, runInPath(after, run.runId))); // a 404 if a reset took it meanwhile
  });

  router.get('/runs', async (req, res) => {
    const q = parseQuery(req.query as Record<string, unknown>, PAGING);
    const state = await store.read({ runs: 'all' });
    const page = pageOfRuns(state, (q.page_size as number | undefined) ?? DEFAULT_PAGE_SIZE, q.page_key as string | undefined);
    if (page.next) res.setHeader('Paging-Next', page.next);
    res.json(page.items.map((r) => runSummary(state, r)));
  });

  router.get('/runs/:runId', async (req, res) => {
    parseQuery(req.query as Record<string, unknown>, {});
    const state = await runState(req.params.runId);
    res.json(runResource(state, runInPath(state, req.params.runId)));
  });
  runCapturesRoutes(router, store);
  return router;
}
