import { useState } from 'preact/hooks';

export interface IdRow {
  name: string;
  value: string | null | undefined;
}

function CopyButton({ value, name }: { value: string; name: string }) {
  const [done, setDone] = useState(false);
  const copy = () =>
    void navigator.clipboard.writeText(value).then(() => {
      setDone(true);
      setTimeout(() => setDone(false), 1200);
    });
  return (
    <button class="copy" data-copy={name} title={`Copy ${name}`} onClick={copy}>
      {done ? 'copied' : 'copy'}
    </button>
  );
}

/** The visit's ids, each with a copy button (what a tester pastes into a History API call). */
export function IdList({ rows }: { rows: IdRow[] }) {
  return (
    <dl class="ids">
      {rows.map(({ name, value }) => (
        <div class="id-row" key={name}>
          <dt>{name}</dt>
          <dd id={`id-${name}`} data-value={value ?? ''}>
            {value ? <code>{value}</code> : <span class="muted">none</span>}
          </dd>
          {value ? <CopyButton value={value} name={name} /> : <span />}
        </div>
      ))}
    </dl>
  );
}
