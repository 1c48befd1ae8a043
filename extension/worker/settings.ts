// The user's settings: where the companion is, and which sites are tracked.
import { Persisted, type Area } from './persisted';

export interface Settings {
  companionUrl: string;
  /** HTTP Basic credentials for a companion started with `--auth user:pass` ('' for none). */
  companionUser: string;
  companionPassword: string;
  /** Sites switched on from the popup (host names), beyond the built-in ones. */
  enabledHosts: string[];
  /** Built-in sites switched off from the popup. */
  disabledHosts: string[];
  /** The run (issue 11) this browser's events belong to: sent as X-Lab-Run ('' for none). */
  runId: string;
}

export const DEFAULT_COMPANION_URL = 'http://127.0.0.1:9081';
/** Tracked out of the box, on any port: what a developer runs a site under test on. */
export const BUILT_IN_HOSTS = ['localhost', '127.0.0.1'];

export const defaultSettings = (): Settings => ({
  companionUrl: DEFAULT_COMPANION_URL,
  companionUser: '',
  companionPassword: '',
  enabledHosts: [],
  disabledHosts: [],
  runId: '',
});

export const SETTINGS_KEY = 'visitorLab.settings';

/**
 * The settings in `area`. `preset` (worker/preset.ts) gives settings to start from when none
 * were ever saved: it is read on each load until the first save, after which a person's own
 * choices (the popup) are what is stored, and win.
 */
export function settingsStore(area: Area, preset?: () => Promise<Partial<Settings> | null>): Persisted<Settings> {
  const withPreset: Area = !preset
    ? area
    : {
        get: async (key) => {
          const got = await area.get(key);
          if (got[key] !== undefined) return got;
          const p = await preset().catch(() => null);
          return p ? { [key]: { ...defaultSettings(), ...p } } : got;
        },
        set: (items) => area.set(items),
        remove: (key) => area.remove(key),
      };
  return new Persisted(withPreset, SETTINGS_KEY, defaultSettings, (s) => ({ ...defaultSettings(), ...s }));
}

/** The hosts the tracker runs on now. */
export function trackedHosts(s: Settings): string[] {
  const builtIn = BUILT_IN_HOSTS.filter((h) => !s.disabledHosts.includes(h));
  return [...builtIn, ...s.enabledHosts.filter((h) => !builtIn.includes(h))];
}

/** Match pattern for every page of a host, http and https, any port. */
export const hostPattern = (host: string): string => `*://${host}/*`;

/** The host of a site pattern made by hostPattern; null for all-sites or the companion's http pattern. */
export const hostOfPattern = (pattern: string): string | null => /^\*:\/\/([^/*]+)\/\*$/.exec(pattern)?.[1] ?? null;

/** The host of a page the tracker could run on, else null. */
export function trackableHost(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.hostname : null;
  } catch {
    return null;
  }
}

/** Whether the tracker runs on pages at `url` now (whichever path its records take). */
export function tracksUrl(s: Settings, url: string | null | undefined): boolean {
  const host = trackableHost(url);
  return host !== null && trackedHosts(s).includes(host);
}

/** A companion address must be an http(s) origin; trailing path and slash dropped. */
export function normalizeCompanionUrl(input: string): string | null {
  try {
    const u = new URL(input.trim());
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    return u.origin;
  } catch {
    return null;
  }
}

/** Why a user name cannot go into HTTP Basic credentials, or null when it can. */
export function userProblem(user: string): string | null {
  if (user.includes(':')) return 'the user may not contain ":" (HTTP Basic puts it between user and password)';
  if (/[\u0000-\u001f\u007f]/.test(user)) return 'the user may not contain control characters';
  return null;
}
