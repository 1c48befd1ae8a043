// Finding a Chrome or Chromium to drive: the environment's choice first, then the usual places.
import { accessSync, constants } from 'node:fs';

/** Environment variables read, in order (Puppeteer's own first). */
export const CHROMIUM_ENV = ['PUPPETEER_EXECUTABLE_PATH', 'CHROME_PATH', 'CHROMIUM_PATH'] as const;

/** Where Debian, Ubuntu, Fedora, snap and macOS put it. */
export const CHROMIUM_PLACES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

/** The one line to print when there is none. */
export const NO_CHROMIUM =
  'No Chrome or Chromium found: install one (Debian/Ubuntu: apt-get install chromium) or set CHROMIUM_PATH to its executable.';

export interface FindChromiumOptions {
  env?: Record<string, string | undefined>;
  places?: string[];
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The path of a Chrome or Chromium executable, or null. A variable that is set must name an
 * executable: a wrong one is an error saying so, not a silent fall back to another browser.
 */
export function findChromium(options: FindChromiumOptions = {}): string | null {
  const env = options.env ?? process.env;
  for (const name of CHROMIUM_ENV) {
    const value = env[name];
    if (!value) continue;
    if (!executable(value)) throw new Error(`${name}=${value} is not an executable file: point it at a Chrome or Chromium binary, or unset it.`);
    return value;
  }
  return (options.places ?? CHROMIUM_PLACES).find(executable) ?? null;
}

/** findChromium(), or an error with the one line saying how to get one. */
export function requireChromium(options: FindChromiumOptions = {}): string {
  const found = findChromium(options);
  if (!found) throw new Error(NO_CHROMIUM);
  return found;
}
