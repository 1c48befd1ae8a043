// Export (links to GET /lab/export, scoped to the page's visit or identity) and import (a file
// posted to POST /lab/import, its summary shown): to hand a story to someone else's companion.
import { useState } from 'preact/hooks';
import { postBody } from '../shared/api';

export type ExportScope = { visitId: string } | { identityId: string } | null;

const FORMATS = [
  { format: 'json', label: 'JSON', hint: 'lossless, re-importable' },
  { format: 'har', label: 'HAR', hint: 'opens in DevTools’ Network panel' },
  { format: 'csv', label: 'CSV', hint: 'one row per event' },
] as const;

export function exportHref(format: string, scope: ExportScope): string {
  const p = new URLSearchParams({ format });
  if (scope && 'visitId' in scope) p.set('visitId', scope.visitId);
  if (scope && 'identityId' in scope) p.set('identityId', scope.identityId);
  return `/lab/export?${p}`;
}

function scopeWords(scope: ExportScope): string {
  if (!scope) return 'everything';
  return 'visitId' in scope ? 'this visit' : 'this identity';
}

function ImportButton() {
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const onFile = async (e: Event) => {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    setBusy(true);
    setResult(null);
    try {
      const type = file.name.endsWith('.har') ? 'application/json' : file.type || 'application/json';
      const summary = await postBody<unknown>('/lab/import', await file.text(), type);
      setResult({ ok: true, text: JSON.stringify(summary, null, 2) });
    } catch (err) {
      setResult({ ok: false, text: (err as Error).message });
    } finally {
      setBusy(false);
      input.value = '';
    }
  };
  return (
    <div class="import">
      <label class="button">
        {busy ? 'Importing…' : 'Import a file…'}
        <input type="file" accept=".json,.har,application/json" onChange={onFile} disabled={busy} class="sr-only" aria-label="Import a JSON or HAR export" />
      </label>
      {result && (
        <div role={result.ok ? 'status' : 'alert'} class={result.ok ? 'import-result' : 'problem'}>
          <strong>{result.ok ? '✓ Imported' : '✗ Import refused'}</strong>
          <pre aria-label="Import summary">{result.text}</pre>
        </div>
      )}
    </div>
  );
}

export function ExportImport({ scope, importable = scope === null }: { scope: ExportScope; importable?: boolean }) {
  return (
    <div class="transfer" role="group" aria-label="Export and import">
      <span class="muted">Export {scopeWords(scope)}:</span>
      {FORMATS.map((f) => (
        <a key={f.format} class="button" href={exportHref(f.format, scope)} download title={f.hint} aria-label={`Export ${scopeWords(scope)} as ${f.label} (${f.hint})`}>
          ⤓ {f.label}
        </a>
      ))}
      {importable && <ImportButton />}
    </div>
  );
}
