// The site's own GWE loader, held back on tracked sites (worker/site-loader.ts): a plain notice
// naming the GWE server it was to come from, and the user's own loader patterns.
import { useEffect, useState } from 'preact/hooks';
import type { LoaderView } from '../../shared/messages';
import { ask } from '../hooks';
import './loader.css';

type Answer = { ok: boolean; error?: string; field?: string; patterns?: string[] };

/** `pageKey` (the page view's id): a new page's scripts are read again, not every poll's. */
export function LoaderNotice({ tabId, pageKey }: { tabId: number; pageKey: string }) {
  const [view, setView] = useState<LoaderView | null>(null);
  useEffect(() => {
    let live = true;
    void ask<LoaderView>({ type: 'tab:loaders', tabId })
      .then((v) => live && v && Array.isArray(v.heldBack) && setView(v))
      .catch(() => undefined);
    return () => void (live = false);
  }, [tabId, pageKey]);
  if (!view) return null;
  const hosts = [...new Set(view.heldBack.map((l) => l.host))];
  return (
    <>
      {hosts.length ? (
        <div id="loader-held-back" class="notice held-back" role="status" data-hosts={hosts.join(' ')}>
          <strong>
            <span aria-hidden="true">⊘ </span>The site's own GWE loader from {hosts.join(', ')} was held back:
          </strong>{' '}
          only Visitor Lab's tracker serves <code>_gt</code> here, so nothing goes to that server and nothing is counted twice.
          <ul class="muted">
            {view.heldBack.map((l) => (
              <li key={l.url}>{l.url}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <LoaderPatterns defaults={view.defaults} patterns={view.patterns} />
    </>
  );
}

/** GWE's paths (always held back) and the user's own patterns, one per line. */
function LoaderPatterns({ defaults, patterns }: { defaults: string[]; patterns: string[] }) {
  const [text, setText] = useState(patterns.join('\n'));
  const [note, setNote] = useState<{ text: string; error: boolean } | null>(null);
  const save = async () => {
    const list = text.split('\n').map((l) => l.trim()).filter(Boolean);
    const res = await ask<Answer>({ type: 'loader:setPatterns', patterns: list }).catch((e: Error) => ({ ok: false, error: e.message }) as Answer);
    setNote(res.ok ? { text: 'Saved: applies from the next page load.', error: false } : { text: `${res.field ?? 'patterns'}: ${res.error ?? 'refused'}`, error: true });
  };
  return (
    <details id="loader-settings">
      <summary>GWE loaders held back</summary>
      <p class="muted">On tracked sites, scripts from these paths never run:</p>
      <ul class="muted loader-defaults">
        {defaults.map((d) => (
          <li key={d}>
            <code>{d}</code>
          </li>
        ))}
      </ul>
      <form
        class="loader-form"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <label for="loader-patterns">Your own loader patterns, one a line (like ||gwe.example.com/js/tracker.js)</label>
        <textarea id="loader-patterns" rows={2} value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} />
        <button id="loader-save" type="submit">
          Save patterns
        </button>
        {note ? (
          <p id="loader-note" class={note.error ? 'notice rejected' : 'notice'} role={note.error ? 'alert' : 'status'}>
            {note.error ? '✗ ' : '✓ '}
            {note.text}
          </p>
        ) : null}
      </form>
    </details>
  );
}
