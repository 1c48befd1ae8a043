import { useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { captureExport, captureHar, exportFileName } from '../../shared/export';
import type { TabView } from '../../shared/messages';
import { ask } from '../hooks';

/** Saves `text` as a file (the browser's download, into its downloads folder). */
function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  // The download has its own copy once started; the URL is freed after that.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Export the tab's whole capture log: JSON (everything) or HAR (what the companion answered). */
export function ExportButtons({ tabId }: { tabId: number }) {
  const [note, setNote] = useState('');
  const save = async (format: 'json' | 'har') => {
    try {
      // The whole log, whatever the window holds.
      const view = await ask<TabView>({ type: 'tab:get', tabId });
      const version = browser.runtime.getManifest().version;
      const now = Date.now();
      const src = { tabId, url: view.url, records: view.records, deliveries: view.deliveries };
      const doc = format === 'json' ? captureExport(src, version, now) : captureHar(src, view.companion.url, version);
      const name = exportFileName(src, format, now);
      download(name, JSON.stringify(doc, null, 1), format === 'json' ? 'application/json' : 'application/har+json');
      setNote(`saved ${name} (${view.records.length} records)`);
    } catch (e) {
      setNote(`not exported: ${(e as Error).message}`);
    }
  };
  return (
    <div class="row export" role="group" aria-label="Export this tab's capture log">
      <button id="export-json" type="button" onClick={() => void save('json')} title="Every record and delivery, the pushes the companion never saw included">
        ↓ Export JSON
      </button>
      <button id="export-har" type="button" onClick={() => void save('har')} title="HAR 1.2 of the companion's answers (opens in DevTools' Network panel)">
        ↓ Export HAR
      </button>
      {note ? (
        <span id="export-note" class="muted" role="status">
          {note}
        </span>
      ) : null}
    </div>
  );
}
