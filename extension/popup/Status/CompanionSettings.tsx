import { useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { ask } from '../hooks';

/** The companion's address (default http://127.0.0.1:9081). */
export function CompanionSettings({ url, onChange }: { url: string; onChange: () => void }) {
  const [value, setValue] = useState(url);
  const [error, setError] = useState('');
  const save = async () => {
    let origin: string;
    try {
      origin = new URL(value.trim()).origin;
    } catch {
      setError('not a URL');
      return;
    }
    const { protocol, hostname } = new URL(origin);
    const granted = await browser.permissions.request({ origins: [`${protocol}//${hostname}/*`] }).catch(() => false);
    if (!granted) {
      setError(`no permission to reach ${origin}`);
      return;
    }
    const res = await ask<{ ok: boolean; error?: string }>({ type: 'settings:set', companionUrl: value });
    setError(res.ok ? '' : (res.error ?? 'refused'));
    onChange();
  };
  return (
    <details id="settings">
      <summary>Companion address</summary>
      <input id="companion-url" value={value} onInput={(e) => setValue((e.target as HTMLInputElement).value)} />
      <button id="companion-save" onClick={() => void save()}>
        Save
      </button>
      {error ? <span class="rejected"> {error}</span> : null}
    </details>
  );
}
