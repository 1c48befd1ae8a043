// The popup's run (issue 11): start one in this browser with a name, see it counting while it is
// on, stop it. The worker does the talking to the companion (worker/runs.ts); a run a suite's
// preset set shows the same way.
import { useEffect, useState } from 'preact/hooks';
import type { RunAnswer, RunView, WorkerRequest } from '../../shared/messages';
import { ask } from '../hooks';
import { ageLine, countsLine } from './run-words';
import './run.css';

const POLL_MS = 1000;

/** The run view, asked for each second while the popup is open; `set` takes a fresher one. */
function useRunView(): [RunView | null, (v: RunView) => void] {
  const [view, setView] = useState<RunView | null>(null);
  useEffect(() => {
    let live = true;
    const load = () =>
      void ask<RunView>({ type: 'run:get' })
        .then((v) => live && v && setView(v))
        .catch(() => undefined);
    load();
    const timer = setInterval(load, POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, []);
  return [view, setView];
}

function StartForm({ onStart, busy }: { onStart: (name: string) => void; busy: boolean }) {
  const [name, setName] = useState('');
  return (
    <form
      class="run-start"
      onSubmit={(e) => {
        e.preventDefault();
        onStart(name);
      }}
    >
      <label for="run-name">Run name</label>
      <input id="run-name" value={name} placeholder="checkout, Chrome" maxLength={200} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
      <button id="run-start" type="submit" disabled={busy}>
        ▶ Start a run
      </button>
    </form>
  );
}

function waitingWords(waiting: number): string {
  if (waiting === 0) return '';
  return waiting === 1 ? ' 1 of its events is still waiting to be sent.' : ` ${waiting} of its events are still waiting to be sent.`;
}

function RunOn({ view, now, busy, act }: { view: RunView; now: number; busy: boolean; act: (what: 'stop' | 'clear') => void }) {
  const { run } = view;
  if (view.problem === 'gone') {
    return (
      <div id="run-gone" class="run-box gone">
        <p>
          <strong>⚠ The companion no longer knows run {view.runId}</strong> (it was reset or forgotten), so it refuses events sent with it.
          {waitingWords(view.waiting)} {view.waiting ? `Leave the run to send ${view.waiting === 1 ? 'it' : 'them'} in no run.` : 'Leave the run: later events go in no run.'}
        </p>
        <button id="run-clear" type="button" disabled={busy} onClick={() => act('clear')}>
          Leave this run
        </button>
      </div>
    );
  }
  return (
    <div id="run-on" class="run-box" data-run-id={view.runId}>
      <p>
        <strong>● Run {run ? `“${run.name}”` : view.runId}</strong> {run ? ageLine(run, now) : ''}
      </p>
      <p id="run-counts">
        {run ? `${countsLine(run)}.` : `Its counts are not known: ${view.error ?? 'the companion did not answer'}.`}
        {waitingWords(view.waiting)}
      </p>
      <p class="muted">Events captured in this browser go to this run until it is stopped.</p>
      <button id="run-stop" type="button" disabled={busy} onClick={() => act('stop')}>
        ■ Stop the run
      </button>
    </div>
  );
}

export function RunSection() {
  const [view, setView] = useRunView();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const send = async (msg: WorkerRequest) => {
    setBusy(true);
    setError('');
    try {
      const answer = await ask<RunAnswer>(msg);
      if (answer.ok) setView(answer.view);
      else setError(answer.error);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section id="run" aria-labelledby="run-title">
      <h2 id="run-title">Run</h2>
      {!view ? (
        <p class="muted">Loading…</p>
      ) : view.runId ? (
        <RunOn view={view} now={Date.now()} busy={busy} act={(what) => void send({ type: what === 'stop' ? 'run:stop' : 'run:clear' })} />
      ) : (
        <StartForm busy={busy} onStart={(name) => void send({ type: 'run:start', name })} />
      )}
      {error ? (
        <p id="run-error" class="notice rejected" role="alert">
          ⚠ {error}
        </p>
      ) : null}
    </section>
  );
}
