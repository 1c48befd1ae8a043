// `/check`: a spec loaded into the page (pasted, a file, dropped; kept in sessionStorage) and
// ticked off live: POST /lab/check against the chosen scope, again whenever GET /lab/changes
// moves, shown as the shared checklist (ui/expectations). The spec is parsed here first: a bad
// one is named beside its text and nothing is sent.
import { useEffect, useState } from 'preact/hooks';
import type { CheckReport } from '../../../protocol/expectations';
import type { RunResource } from '../../../protocol/runs';
import { Checklist } from '../../../ui/expectations';
import { getJson } from '../shared/api';
import { useChanges } from '../shared/live';
import { Problem } from '../shared/Problem';
import { navigate, visitHref } from '../shared/router';
import { useLoad } from '../shared/useLoad';
import { ScopePicker } from './ScopePicker';
import { SpecInput } from './SpecInput';
import { saveSpecText, savedSpecText, scopeOf, scopeQuery, specOfText, type CheckScopeQuery } from './spec-text';

async function postCheck(spec: unknown, scope: CheckScopeQuery, signal: AbortSignal): Promise<CheckReport> {
  // record: false: a live look is not a check of the run (GET /lab/runs/{runId} lists those).
  const res = await fetch('/lab/check', {
    method: 'POST',
    signal,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ spec, ...scope, record: false }),
  });
  const body = (await res.json().catch(() => null)) as (CheckReport & { message?: string }) | null;
  if (!res.ok) throw new Error(`${res.status}: ${body?.message ?? res.statusText}`);
  return body!;
}

export function CheckPage({ query }: { query: URLSearchParams }) {
  const scope = scopeOf(query);
  const [text, setText] = useState(savedSpecText);
  useEffect(() => saveSpecText(text), [text]);
  const parsed = specOfText(text);
  const seq = useChanges();
  const spec = parsed?.ok ? parsed.spec : null;
  const key = spec ? `${text}|${scopeQuery(scope)}` : '';
  const report = useLoad(key, (signal) => (spec ? postCheck(spec, scope, signal) : Promise.resolve(null)), seq);
  // A stopped run is over: what it did not meet failed (else it is "not yet").
  const run = useLoad(`run|${scope.run ?? ''}`, (signal) => (scope.run ? getJson<RunResource>(`/lab/runs/${encodeURIComponent(scope.run)}`, signal) : Promise.resolve(null)), seq);
  const final = Boolean(run.data?.body?.stoppedAt);
  return (
    <section aria-labelledby="check-title" class="check-page">
      <h1 id="check-title">Check a spec</h1>
      <p class="muted">The spec is checked in the companion (POST /lab/check) and again each time something is recorded: its steps tick off as you browse.</p>
      <SpecInput text={text} parsed={parsed} onText={setText} />
      <ScopePicker scope={scope} seq={seq} onScope={(s) => navigate(`/check${scopeQuery(s)}`, true)} />
      {report.error ? <Problem error={report.error} what="the check" /> : null}
      {spec && report.data ? (
        <Checklist spec={spec} report={report.data} final={final} visitLink={(id) => <a href={visitHref(id)}>{id}</a>} />
      ) : spec && !report.error ? (
        <p class="status" role="status">
          Checking…
        </p>
      ) : !parsed ? (
        <p class="status">No spec yet: paste one above or choose its file.</p>
      ) : null}
    </section>
  );
}
