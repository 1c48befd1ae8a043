// Where the Check page's spec comes from: pasted into the text area, a file chosen, or a file
// dropped on the area. A bad spec's place and reason are said beside the text (nothing is sent).
import { useState } from 'preact/hooks';
import type { ParsedSpec } from './spec-text';

export function SpecInput({ text, parsed, onText }: { text: string; parsed: ParsedSpec; onText: (text: string) => void }) {
  const [over, setOver] = useState(false);
  const [fileProblem, setFileProblem] = useState('');
  const read = async (file: File | undefined) => {
    if (!file) return;
    try {
      onText(await file.text());
      setFileProblem('');
    } catch (e) {
      setFileProblem(`${file.name} could not be read: ${(e as Error).message}`);
    }
  };
  const problem = parsed && !parsed.ok ? parsed.problem : null;
  return (
    <div class="spec-input">
      <label for="spec-text">Spec (JSON, see docs/expectations.md): paste it, choose a file or drop one here</label>
      <textarea
        id="spec-text"
        class={over ? 'drop-over' : undefined}
        rows={10}
        spellcheck={false}
        value={text}
        aria-invalid={problem ? 'true' : undefined}
        aria-describedby={problem ? 'spec-problem' : undefined}
        onInput={(e) => onText((e.target as HTMLTextAreaElement).value)}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          void read(e.dataTransfer?.files?.[0]);
        }}
      />
      <div class="spec-actions">
        <label class="spec-file">
          Spec file: <input id="spec-file" type="file" accept=".json,application/json" onChange={(e) => void read((e.target as HTMLInputElement).files?.[0])} />
        </label>
        {text ? (
          <button id="spec-clear" type="button" onClick={() => onText('')}>
            Clear spec
          </button>
        ) : null}
      </div>
      {problem ? (
        <p id="spec-problem" class="problem" role="alert">
          <strong>Not a spec, nothing checked:</strong> <code>{problem.place}</code> {problem.reason}
        </p>
      ) : null}
      {fileProblem ? (
        <p class="problem" role="alert">
          {fileProblem}
        </p>
      ) : null}
    </div>
  );
}
