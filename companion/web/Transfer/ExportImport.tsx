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

interface ImportSummary {
  events?: { accepted: number; duplicate: number; rejected: number };
}

/** The import's answer in one line (the whole answer is in the details below it). */
function summaryLine(summary: ImportSummary): string {
  const e = summary.events;
  return e ? `${e.accepted} events accepted, ${e.duplicate} duplicate, ${e.rejected} rejected` : 'done';
}

function ImportButton({ onResult }: { onResult: (r: ImportResult | null) => void }) {
  const [busy, setBusy] = useState(false);
  const onFile = async (e: Event) => {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    setBusy(true);
    onResult(null);
    try {
      const summary = await postBody<ImportSummary>('/lab/import', await file.text(), 'application/json');
      onResult({ ok: true, line: summaryLine(summary), text: JSON.stringify(summary, null, 2) });
    } catch (err) {
      onResult({ ok: false, line: (err as Error).message, text: '' });
    } finally {
      setBusy(false);
      input.value = '';
    }
  };
  return (
    <label class="button">
      {busy ? 'Importing…' : '⤒ Import a file…'}
      <input type="file" accept=".json,.har,application/json" onChange={onFile} disabled={busy} class="sr-only" aria-label="Import a JSON or HAR export" />
    </label>
  );
}

interface ImportResult {
  ok: boolean;
  line: string;
  text: string;
}

function ImportOutcome({ result }: { result: ImportResult }) {
  return (
    <div role={result.ok ? 'status' : 'alert'} class={result.ok ? 'import-result' : 'problem'}>
      <strong>{result.ok ? '✓ Imported:' : '✗ Import refused:'}</strong> {result.line}
      {result.text && (
        <details>
          <summary>The companion's answer</summary>
          <pre aria-label="Import summary">{result.text}</pre>
        </details>
      )}
    </div>
  );
}

export function ExportImport({ scope, importable = scope === null }: { scope: ExportScope; importable?: boolean }) {
  const [result, setResult] = useState<ImportResult | null>(null);
  return (
    <div class="transfer" role="group" aria-label="Export and import">
      <span class="muted">Export {scopeWords(scope)}:</span>
      {FORMATS.map((f) => (
        <a key={f.format} class="button" href={exportHref(f.format, scope)} download title={f.hint} aria-label={`Export ${scopeWords(scope)} as ${f.label} (${f.hint})`}>
          ⤓ {f.label}
        </a>
      ))}
      {importable && <ImportButton onResult={setResult} />}
      {result && <ImportOutcome result={result} />}
    </div>
  );
}
