import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { SettingsView } from '../../shared/messages';
import { ask } from '../hooks';

type Answer = { ok: boolean; error?: string; field?: string };

/**
 * The companion's address (default http://127.0.0.1:9081) and, for one started with
 * `--auth user:pass`, its user and password. The worker keeps them (extension storage) and
 * sends them; the password is never shown again, only whether one is saved.
 */
export function CompanionSettings({ url, open, onChange }: { url: string; open?: boolean; onChange: () => void }) {
  const [value, setValue] = useState(url);
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [hasPassword, setHasPassword] = useState(false);
  const [error, setError] = useState('');
  const [saved, setSaved] = useState('');
  useEffect(() => {
    void ask<SettingsView>({ type: 'settings:get' })
      .then((s) => {
        setUser(s.companionUser ?? '');
        setHasPassword(Boolean(s.hasPassword));
      })
      .catch(() => undefined);
  }, []);
  const save = async (clear = false) => {
    let origin: string;
    try {
      origin = new URL(value.trim()).origin;
    } catch {
      setError('companion address: not a URL');
      return;
    }
    const { protocol, hostname } = new URL(origin);
    const granted = await browser.permissions.request({ origins: [`${protocol}//${hostname}/*`] }).catch(() => false);
    if (!granted) {
      setError(`no permission to reach ${origin}`);
      return;
    }
    // An empty password field keeps the saved one; "Forget credentials" clears both.
    const creds = clear ? { user: '', password: '' } : { user: user.trim(), ...(password ? { password } : {}) };
    const res = await ask<Answer>({ type: 'settings:set', companionUrl: value, ...creds });
    setError(res.ok ? '' : `${res.field ?? 'settings'}: ${res.error ?? 'refused'}`);
    if (res.ok) {
      if (clear) setUser('');
      setHasPassword(clear ? false : hasPassword || password !== '');
      setPassword('');
      setSaved('saved');
    }
    onChange();
  };
  return (
    <details id="settings" open={open}>
      <summary>Companion settings</summary>
      <form
        class="settings"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <label>
          Companion address <input id="companion-url" value={value} onInput={(e) => setValue((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          User (--auth) <input id="companion-user" autocomplete="username" value={user} onInput={(e) => setUser((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          Password{' '}
          <input
            id="companion-password"
            type="password"
            autocomplete="current-password"
            placeholder={hasPassword ? 'saved (type to replace)' : ''}
            value={password}
            onInput={(e) => setPassword((e.target as HTMLInputElement).value)}
          />
        </label>
        <div class="row">
          <button id="companion-save" type="submit">
            Save
          </button>
          {user || hasPassword ? (
            <button id="companion-forget" type="button" onClick={() => void save(true)}>
              Forget credentials
            </button>
          ) : null}
          {error ? (
            <span id="settings-error" class="rejected" role="alert">
              ✖ {error}
            </span>
          ) : saved ? (
            <span class="muted" role="status">
              {saved}
            </span>
          ) : null}
        </div>
      </form>
    </details>
  );
}
