// A copy of the built extension for one suite: its preset file (extension/worker/preset.ts)
// points it at the suite's companion, names the sites to track and the run, and its manifest
// asks for those sites' host permission, which an unpacked extension is granted at install
// (a person would grant it from the popup; a test browser has no one to click).
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { builtExtension } from './paths';

/** The preset's file name: extension/worker/preset.ts reads it. */
export const PRESET_FILE = 'visitor-lab-preset.json';

export interface ExtensionDirOptions {
  /** Host names (or URLs) to track besides localhost and 127.0.0.1, e.g. `shop.test`. */
  sites?: string[];
  /** A runId: every event the extension sends carries `X-Lab-Run: runId`. */
  run?: string;
}

function hostOf(site: string): string {
  const s = site.trim();
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(s) ? s : `http://${s}`).hostname;
  } catch {
    throw new Error(`extensionDir: "${site}" is not a site (a host name such as shop.test, or a URL)`);
  }
}

export async function extensionDir(companion: { url: string; auth?: string }, options: ExtensionDirOptions = {}): Promise<string> {
  const sites = (options.sites ?? []).map(hostOf);
  const dir = await mkdtemp(path.join(tmpdir(), 'visitor-lab-extension-'));
  await cp(builtExtension(), dir, { recursive: true });
  const [user, ...pass] = companion.auth ? companion.auth.split(':') : [];
  const preset = {
    companionUrl: companion.url,
    sites,
    ...(companion.auth ? { companionUser: user, companionPassword: pass.join(':') } : {}),
    ...(options.run ? { runId: options.run } : {}),
  };
  await writeFile(path.join(dir, PRESET_FILE), JSON.stringify(preset, null, 2));
  if (sites.length) {
    const file = path.join(dir, 'manifest.json');
    const manifest = JSON.parse(await readFile(file, 'utf8')) as { host_permissions?: string[] };
    manifest.host_permissions = [...new Set([...(manifest.host_permissions ?? []), ...sites.map((h) => `*://${h}/*`)])];
    await writeFile(file, JSON.stringify(manifest, null, 2));
  }
  return dir;
}
