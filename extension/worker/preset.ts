// A preset: settings put beside the extension's files by whoever copied it (the helper library's
// extensionDir(), for a test suite), read on the worker's first start. Absent for a person who
// loads .output/chrome-mv3 as built: then nothing changes.
import { browser } from 'wxt/browser';
import { normalizeCompanionUrl, trackableHost, type Settings } from './settings';

export const PRESET_FILE = 'visitor-lab-preset.json';

/** The file's shape (docs/testing.md): every field optional. */
export interface Preset {
  companionUrl?: string;
  companionUser?: string;
  companionPassword?: string;
  /** Host names (or URLs) to track besides localhost and 127.0.0.1. */
  sites?: string[];
  /** The run to tag every event with (X-Lab-Run). */
  runId?: string;
}

/** The settings a preset sets; fields that are missing or wrong are left out (the defaults stand). */
export function presetSettings(value: unknown): Partial<Settings> | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const p = value as Record<string, unknown>;
  const out: Partial<Settings> = {};
  const url = typeof p.companionUrl === 'string' ? normalizeCompanionUrl(p.companionUrl) : null;
  if (url) out.companionUrl = url;
  if (typeof p.companionUser === 'string') out.companionUser = p.companionUser;
  if (typeof p.companionPassword === 'string') out.companionPassword = p.companionPassword;
  if (Array.isArray(p.sites)) {
    const hosts = p.sites.filter((s): s is string => typeof s === 'string').map(hostOf).filter((h): h is string => !!h);
    out.enabledHosts = [...new Set(hosts)];
  }
  if (typeof p.runId === 'string' && p.runId) out.runId = p.runId;
  return out;
}

/** `shop.test`, `shop.test:8080` or `http://shop.test:8080/x` all name the host shop.test. */
function hostOf(site: string): string | null {
  const s = site.trim().toLowerCase();
  if (!s) return null;
  return trackableHost(/^[a-z][a-z0-9+.-]*:\/\//.test(s) ? s : `http://${s}`);
}

/** The preset file of this extension's folder, or null when there is none (or it is not JSON). */
export async function readPreset(): Promise<Partial<Settings> | null> {
  try {
    const res = await fetch(browser.runtime.getURL(`/${PRESET_FILE}` as '/'));
    if (!res.ok) return null;
    return presetSettings(await res.json());
  } catch {
    return null;
  }
}
