// Loading a spec into the worker: pasted JSON, or (in the popup opened as a tab) a file. A bad
// spec is named by its place and reason beside the text; nothing is kept then.
import { useState } from 'preact/hooks';
import { ask } from '../hooks';

type Answer = { ok: true } | { ok: false; field?: string; error: string };

export function SpecForm({ onLoaded }: { onLoaded: () => void }) {
  const [text, setText] = useState('');
  const [problem, setProblem] = useState('');
  const inTab = new URLSearchParams(location.search).has('tabId');
  const load = async (spec: string) => {
    const answer = await ask<Answer>({ type: 'spec:set', text: spec }).catch((e: Error): Answer => ({ ok: false, error: e.message }));
    if (answer.ok) {
      setProblem('');
      setText('');
      onLoaded();
    } else setProblem(`${answer.field ? `${answer.field}: ` : ''}${answer.error}`);
  };
  const fromFile = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    if (!file) return;
    const content = await file.text();
    setText(content);
    await load(content);
  };
  return (
    <form
      class="spec-form"
      onSubmit={(e) => {
        e.preventDefault();
        void load(text);
      }}
    >
      <label for="spec-text">Spec (JSON)</label>
      <textarea
        id="spec-text"
        rows={5}
        spellcheck={false}
        value={text}
        placeholder='{"name": "sign-in", "visits": [{"steps": [{"event": "PageEntered", "url": "/login"}]}]}'
        aria-invalid={problem ? 'true' : undefined}
        aria-describedby={problem ? 'spec-problem' : undefined}
        onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
      />
      {problem ? (
        <p id="spec-problem" class="rejected" role="alert">
          ⚠ Not loaded: {problem}
        </p>
      ) : null}
      <div class="row">
        <button id="spec-load" type="submit">
          Load spec
        </button>
        {inTab ? (
          <label class="spec-file">
            or a file: <input id="spec-file" type="file" accept=".json,application/json" onChange={(e) => void fromFile(e.target as HTMLInputElement)} />
          </label>
        ) : null}
      </div>
    </form>
  );
}
