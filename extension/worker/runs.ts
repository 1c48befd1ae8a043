// A run in this browser (issue 11): started and stopped from the popup at the companion
// (POST /lab/runs, /stop), or set by a suite's preset. While settings.runId names it, captured
// events are stored in the outbox with it, and delivery sends it as X-Lab-Run.
import { MAX_RUN_NAME, type RunResource } from '../../protocol/runs';
import type { RunAnswer, RunView } from '../shared/messages';
import { AUTH_TEXT } from './companion';
import type { Worker } from './router';

type Failure = Extract<RunAnswer, { ok: false }>;

/** What the popup says when the companion did not answer as hoped. */
async function failure(w: Worker, res: Response | Error, what: string): Promise<Failure> {
  if (res instanceof Error) return { ok: false, problem: 'unreachable', error: `the companion is unreachable (${res.message}): ${what}` };
  if (res.status === 401) return { ok: false, problem: 'auth', error: `${AUTH_TEXT[w.companion.auth ?? 'missing']}: set them under Companion below` };
  const body = (await res.json().catch(() => null)) as { message?: string; field?: string } | null;
  if (res.status === 404) return { ok: false, problem: 'gone', error: 'the companion no longer knows this run (it was reset or forgotten)' };
  return { ok: false, problem: 'http', field: body?.field, error: `HTTP ${res.status}${body?.message ? `: ${body.message}` : ''}` };
}

async function call(w: Worker, path: string, init: RequestInit = {}): Promise<Response | Error> {
  try {
    return await w.companion.request(path, init);
  } catch (e) {
    return e as Error;
  }
}

/** The events of run `runId` still waiting in the outbox. */
async function waitingOf(w: Worker, runId: string): Promise<number> {
  const current = (await w.settings.get()).runId;
  return (await w.outbox.all()).filter((i) => (i.runId ?? current) === runId).length;
}

/** Sets the settings' run; what was captured before keeps the run it was captured under. */
async function switchRun(w: Worker, runId: string): Promise<void> {
  const settings = await w.settings.get();
  await w.outbox.stampRun(settings.runId);
  settings.runId = runId;
  await w.settings.save();
}

/** The run this browser is in, as the companion has it (counts), or why it cannot say. */
export async function runView(w: Worker): Promise<RunView> {
  const { runId } = await w.settings.get();
  if (!runId) return { runId: '', run: null, waiting: 0 };
  const waiting = await waitingOf(w, runId);
  const res = await call(w, `/lab/runs/${encodeURIComponent(runId)}`);
  if (!(res instanceof Error) && res.ok) return { runId, run: (await res.json()) as RunResource, waiting };
  const { problem, error } = await failure(w, res, 'its counts are not known');
  return { runId, run: null, waiting, problem, error };
}

export async function startRun(w: Worker, name: unknown): Promise<RunAnswer> {
  if (typeof name !== 'string' || !name.trim()) return { ok: false, field: 'name', error: 'give the run a name, such as "checkout, Chrome"' };
  if (name.trim().length > MAX_RUN_NAME) return { ok: false, field: 'name', error: `the name may have at most ${MAX_RUN_NAME} characters` };
  const { runId } = await w.settings.get();
  if (runId) return { ok: false, error: 'a run is on in this browser: stop it first' };
  const res = await call(w, '/lab/runs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: name.trim() }) });
  if (res instanceof Error || res.status !== 201) return failure(w, res, 'no run was started');
  const started = (await res.json()) as { runId: string };
  await switchRun(w, started.runId);
  return { ok: true, view: await runView(w) };
}

/** Stops the run at the companion, then this browser's events go in no run. */
export async function stopRun(w: Worker): Promise<RunAnswer> {
  const { runId } = await w.settings.get();
  if (!runId) return { ok: true, view: await runView(w) };
  const res = await call(w, `/lab/runs/${encodeURIComponent(runId)}/stop`, { method: 'POST' });
  if (res instanceof Error || !res.ok) return failure(w, res, 'the run is still on');
  await switchRun(w, '');
  void w.courier.flush();
  return { ok: true, view: await runView(w) };
}

/**
 * Forgets the run in this browser without asking the companion (which no longer knows it): its
 * waiting events, which the companion would refuse with that run, go in no run instead of
 * waiting forever.
 */
export async function clearRun(w: Worker): Promise<RunAnswer> {
  const settings = await w.settings.get();
  const { runId } = settings;
  if (runId) {
    await w.outbox.moveRun(runId, '', runId);
    settings.runId = '';
    await w.settings.save();
    void w.courier.flush(true);
  }
  return { ok: true, view: await runView(w) };
}
