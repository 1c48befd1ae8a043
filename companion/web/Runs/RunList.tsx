// `/runs`: the runs, newest first, with their counts and last check; live as events arrive.
import { useState } from 'preact/hooks';
import type { RunResource, RunSummary } from '../../../protocol/runs';
import { ApiError, getJson } from '../shared/api';
import { dateTime, plural } from '../shared/format';
import { useChanges } from '../shared/live';
import { Pager } from '../shared/Pager';
import { Problem } from '../shared/Problem';
import { runHref } from '../shared/router';
import { useLoad } from '../shared/useLoad';
import { checkWords, runStateWords } from './run-words';

export const RUNS_PAGE_SIZE = 20;

interface Row {
  run: RunSummary;
  /** The run's counts and checks; null when it was forgotten between the list and this read. */
  detail: RunResource | null;
}

/** A page of runs, each with its counts (GET /lab/runs/{runId}: the list has none). */
async function loadRuns(pageKey: string | undefined, signal: AbortSignal): Promise<{ rows: Row[]; next: string | null }> {
  const page = await getJson<RunSummary[]>(`/lab/runs?page_size=${RUNS_PAGE_SIZE}${pageKey ? `&page_key=${encodeURIComponent(pageKey)}` : ''}`, signal);
  const rows = await Promise.all(
    (page.body ?? []).map(async (run) => {
      try {
        return { run, detail: (await getJson<RunResource>(`/lab/runs/${encodeURIComponent(run.runId)}`, signal)).body };
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) return { run, detail: null };
        throw e;
      }
    }),
  );
  return { rows, next: page.next };
}

function RunRow({ row }: { row: Row }) {
  const { run, detail } = row;
  const last = detail?.checks.at(-1);
  const num = (n: number | undefined) => <td class="num">{n === undefined ? '–' : n.toLocaleString('en')}</td>;
  return (
    <tr data-run-id={run.runId}>
      <th scope="row">
        <a href={runHref(run.runId)}>{run.name}</a>
        <span class="mono muted run-id">{run.runId}</span>
      </th>
      <td>
        <time dateTime={new Date(run.startedAt).toISOString()}>{dateTime(run.startedAt)}</time>
      </td>
      <td class={run.stoppedAt === null ? 'run-running' : 'run-stopped'}>{run.stoppedAt === null ? '● ' : '■ '}{runStateWords(run)}</td>
      {num(detail?.counts.visits)}
      {num(detail?.counts.events)}
      {num(detail?.counts.rejected)}
      {num(detail?.counts.duplicates)}
      <td class={last ? (last.passed ? 'check-passed' : 'check-failed') : 'muted'}>{last ? `${last.passed ? '✓' : '✗'} ${checkWords(last)}` : 'not checked'}</td>
    </tr>
  );
}

export function RunList() {
  // The keys of the pages before this one: [] on the newest page.
  const [keys, setKeys] = useState<string[]>([]);
  const seq = useChanges();
  const pageKey = keys.at(-1);
  // Live on the newest page only: an older page stays put while the reader is on it.
  const loaded = useLoad(`runs|${pageKey ?? ''}`, (signal) => loadRuns(pageKey, signal), pageKey === undefined ? seq : null);
  const rows = loaded.data?.rows ?? [];
  const next = loaded.data?.next ?? null;
  return (
    <section aria-labelledby="runs-title">
      <h1 id="runs-title">Runs</h1>
      <p class="muted">
        A run names a stretch of testing and holds what it captured: start one from the extension's popup, or from a suite
        (<code>POST /lab/runs</code>, <code>visitor-lab/testing</code>).
      </p>
      {loaded.error && <Problem error={loaded.error} what="the runs" />}
      <p class="status" role="status">
        {loaded.data === null
          ? 'Loading runs…'
          : rows.length === 0 && keys.length === 0
            ? 'No runs yet.'
            : `${plural(rows.length, 'run')} on this page, newest first${keys.length === 0 ? ' (live)' : ''}.`}
      </p>
      {rows.length > 0 && (
        <div class="table-wrap">
          <table class="runs">
            <caption class="sr-only">Runs, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Run</th>
                <th scope="col">Started</th>
                <th scope="col">Running or stopped</th>
                <th scope="col">Visits</th>
                <th scope="col">Events</th>
                <th scope="col">Rejected</th>
                <th scope="col">Duplicates</th>
                <th scope="col">Last check</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <RunRow key={row.run.runId} row={row} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager label="Run pages" keys={keys} setKeys={setKeys} next={next} />
    </section>
  );
}
