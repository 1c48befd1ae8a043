// "Forget this run" (POST /lab/reset?run=ID) behind a confirmation that says what goes: the
// run's visits whole, with every event in them.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { RunResource } from '../../../protocol/runs';
import { plural } from '../shared/format';

export function ForgetRun({ run, onDone }: { run: RunResource; onDone: (words: string) => void }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const confirm = useRef<HTMLButtonElement>(null);
  const start = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);
  useEffect(() => {
    // Focus goes to the question's answer, and back to the button when it is put away.
    if (asking) confirm.current?.focus();
    else if (wasAsking.current) start.current?.focus();
    wasAsking.current = asking;
  }, [asking]);
  const forget = async () => {
    setBusy(true);
    setError('');
    try {
      const res = await fetch(`/lab/reset?run=${encodeURIComponent(run.runId)}`, { method: 'POST', headers: { accept: 'application/json' } });
      const body = (await res.json().catch(() => null)) as { message?: string } | null;
      if (!res.ok) throw new Error(`${res.status}: ${body?.message ?? res.statusText}`);
      onDone(`Run “${run.name}” (${run.runId}) and its ${plural(run.visitIds.length, 'visit')} were forgotten.`);
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  };
  if (!asking)
    return (
      <p>
        <button id="forget-run" type="button" ref={start} onClick={() => setAsking(true)}>
          Forget this run…
        </button>
      </p>
    );
  return (
    <div id="forget-confirm" class="problem" role="group" aria-labelledby="forget-question">
      <p id="forget-question">
        <strong>Forget run “{run.name}”?</strong> Its {plural(run.visitIds.length, 'visit')} go whole, with every event in them (even
        events another run sent to them), and the run itself. This cannot be undone.
      </p>
      <button id="forget-yes" type="button" ref={confirm} disabled={busy} onClick={() => void forget()}>
        {busy ? 'Forgetting…' : 'Yes, forget it'}
      </button>{' '}
      <button id="forget-no" type="button" disabled={busy} onClick={() => setAsking(false)}>
        Cancel
      </button>
      {error && (
        <p role="alert">
          Not forgotten: {error}
        </p>
      )}
    </div>
  );
}
