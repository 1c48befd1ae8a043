// The Check page's scope: everything, a run (from GET /lab/runs) or one visit. It goes in the
// URL (?run=, ?visitId=), so a link to the page checks the same thing.
import { useState } from 'preact/hooks';
import type { RunSummary } from '../../../protocol/runs';
import { getJson } from '../shared/api';
import { useLoad } from '../shared/useLoad';
import type { CheckScopeQuery } from './spec-text';

export function ScopePicker({ scope, seq, onScope: setScope }: { scope: CheckScopeQuery; seq: number; onScope: (scope: CheckScopeQuery) => void }) {
  // "a visit" chosen before its id is typed: the URL gets the scope once the id is in.
  const [pickingVisit, setPickingVisit] = useState(false);
  const onScope = (s: CheckScopeQuery) => {
    setPickingVisit(false);
    setScope(s);
  };
  const runs = useLoad('runs', (signal) => getJson<RunSummary[]>('/lab/runs?page_size=100', signal), seq);
  const list = runs.data?.body ?? [];
  const kind = pickingVisit || scope.visitId ? 'visit' : scope.run ? 'run' : 'everything';
  return (
    <fieldset class="check-scope">
      <legend>Check against</legend>
      <label>
        <input type="radio" name="scope" value="everything" checked={kind === 'everything'} onChange={() => onScope({})} /> everything
      </label>
      <label>
        <input type="radio" name="scope" value="run" checked={kind === 'run'} disabled={list.length === 0 && !scope.run} onChange={() => list[0] && onScope({ run: list[0].runId })} /> a run
      </label>
      <select id="scope-run" aria-label="Run" value={scope.run ?? ''} disabled={kind !== 'run'} onChange={(e) => onScope({ run: (e.target as HTMLSelectElement).value })}>
        {scope.run && !list.some((r) => r.runId === scope.run) ? <option value={scope.run}>{scope.run}</option> : null}
        {list.map((r) => (
          <option key={r.runId} value={r.runId}>
            {r.name} ({r.runId}){r.active ? ', active' : r.stoppedAt ? ', stopped' : ''}
          </option>
        ))}
      </select>
      <label>
        <input type="radio" name="scope" value="visit" checked={kind === 'visit'} onChange={() => {
            setPickingVisit(true);
            document.getElementById('scope-visit')?.focus();
          }}
        />{' '}
        a visit
      </label>
      <input
        id="scope-visit"
        aria-label="Visit id"
        placeholder="visitId"
        value={scope.visitId ?? ''}
        // Checked once the id is in (Enter or leaving the field): not one check per key.
        onChange={(e) => onScope({ visitId: (e.target as HTMLInputElement).value.trim() })}
      />
      {list.length === 0 && runs.data ? <span class="muted"> No runs yet (start one: POST /lab/runs, or the popup).</span> : null}
    </fieldset>
  );
}
