// `/runs/{runId}`: a run's counts, its visits, the problems intake had with its events, the checks
// recorded on it, its export, and "forget this run". Live as its events arrive.
import { useState } from 'preact/hooks';
import { MAX_RUN_PROBLEMS, type RunResource } from '../../../protocol/runs';
import { ApiError, getJson } from '../shared/api';
import { dateTime } from '../shared/format';
import { useChanges } from '../shared/live';
import { Problem } from '../shared/Problem';
import { visitHref } from '../shared/router';
import { useLoad } from '../shared/useLoad';
import { ForgetRun } from './ForgetRun';
import { capturesWords, checkWords, countsWords, runStateWords } from './run-words';

const FORMATS = [
  { format: 'json', label: 'JSON', hint: 'lossless, re-importable' },
  { format: 'har', label: 'HAR', hint: 'opens in DevTools’ Network panel' },
  { format: 'csv', label: 'CSV', hint: 'one row per event' },
] as const;

export const runExportHref = (runId: string, format: string) => `/lab/export?${new URLSearchParams({ run: runId, format })}`;

function Facts({ run }: { run: RunResource }) {
  return (
    <dl class="facts">
      <div>
        <dt>runId</dt>
        <dd class="mono">{run.runId}</dd>
      </div>
      <div>
        <dt>Started</dt>
        <dd>{dateTime(run.startedAt)}</dd>
      </div>
      <div>
        <dt>Running or stopped</dt>
        <dd id="run-state">{runStateWords(run)}</dd>
      </div>
      <div class="wide">
        <dt>Counts</dt>
        <dd id="run-counts">{countsWords(run.counts)}</dd>
      </div>
      <div class="wide">
        <dt>Captured by the extension</dt>
        <dd id="run-captures">{capturesWords(run.captures)}</dd>
      </div>
    </dl>
  );
}

function Visits({ run }: { run: RunResource }) {
  if (run.visitIds.length === 0) return <p class="muted">No visits yet: events sent with this run (X-Lab-Run) show here.</p>;
  return (
    <ul id="run-visits" class="run-visits">
      {run.visitIds.map((id) => (
        <li key={id}>
          <a href={visitHref(id)} class="mono">
            {id}
          </a>
        </li>
      ))}
    </ul>
  );
}

function Problems({ run }: { run: RunResource }) {
  const total = run.counts.rejected + run.counts.duplicates;
  if (total === 0) return <p class="muted">None: every event sent with this run was stored.</p>;
  return (
    <>
      {total > run.problems.length && <p class="muted">The first {MAX_RUN_PROBLEMS} of {total.toLocaleString('en')}.</p>}
      <div class="table-wrap">
        <table id="run-problems">
          <caption class="sr-only">Events of this run intake did not store</caption>
          <thead>
            <tr>
              <th scope="col">What</th>
              <th scope="col">Event</th>
              <th scope="col">Visit</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {run.problems.map((p, i) => (
              <tr key={`${p.eventID}-${i}`}>
                <td>{p.kind === 'rejected' ? '✗ rejected' : '= duplicate'}</td>
                <td>
                  {p.eventName ?? <span class="muted">no name</span>} <span class="mono muted">{p.eventID}</span>
                </td>
                <td>{p.visitId ? <a href={visitHref(p.visitId)} class="mono">{p.visitId}</a> : <span class="muted">none</span>}</td>
                <td>{p.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function Checks({ run }: { run: RunResource }) {
  if (run.checks.length === 0)
    return (
      <p class="muted">
        None yet: <code>visitor-lab check SPEC --run {run.runId}</code> or <code>POST /lab/check</code> with this run records one here.
      </p>
    );
  return (
    <ol id="run-checks" class="run-checks" reversed>
      {run.checks
        .slice()
        .reverse()
        .map((c, i) => (
          <li key={i} class={c.passed ? 'check-passed' : 'check-failed'}>
            {c.passed ? '✓ ' : '✗ '}
            {checkWords(c)} <time class="muted" dateTime={new Date(c.checkedAt).toISOString()}>{dateTime(c.checkedAt)}</time>
          </li>
        ))}
    </ol>
  );
}

export function RunPage({ runId }: { runId: string }) {
  const seq = useChanges();
  const [forgotten, setForgotten] = useState<string | null>(null);
  const loaded = useLoad(runId, async (signal) => (await getJson<RunResource>(`/lab/runs/${encodeURIComponent(runId)}`, signal)).body, forgotten ? null : seq);
  const run = loaded.data;
  if (forgotten !== null)
    return (
      <section aria-labelledby="run-title">
        <h1 id="run-title">Run forgotten</h1>
        <p role="status">
          {forgotten} <a href="/runs">Back to the runs</a>.
        </p>
      </section>
    );
  if (loaded.error instanceof ApiError && loaded.error.status === 404)
    return (
      <section aria-labelledby="run-title">
        <h1 id="run-title">No run {runId}</h1>
        <p>
          The companion has no such run: it may have been forgotten or reset. <a href="/runs">See the runs</a>.
        </p>
      </section>
    );
  return (
    <section aria-labelledby="run-title">
      <div class="title-row">
        <h1 id="run-title">{run ? `Run “${run.name}”` : `Run ${runId}`}</h1>
        <div class="transfer" role="group" aria-label="Export this run">
          <span class="muted">Export this run:</span>
          {FORMATS.map((f) => (
            <a key={f.format} class="button" href={runExportHref(runId, f.format)} download title={f.hint} aria-label={`Export this run as ${f.label} (${f.hint})`}>
              ⤓ {f.label}
            </a>
          ))}
        </div>
      </div>
      {loaded.error && <Problem error={loaded.error} what="the run" />}
      {!run ? (
        <p class="status" role="status">
          Loading the run…
        </p>
      ) : (
        <>
          <Facts run={run} />
          <h2>Visits ({run.visitIds.length.toLocaleString('en')})</h2>
          <Visits run={run} />
          <h2>Problems ({(run.counts.rejected + run.counts.duplicates).toLocaleString('en')})</h2>
          <Problems run={run} />
          <h2>Checks ({run.checks.length})</h2>
          <Checks run={run} />
          <h2>Forget</h2>
          <ForgetRun run={run} onDone={(words) => setForgotten(words)} />
        </>
      )}
    </section>
  );
}

