// Debian's firefox-esr driven by puppeteer over WebDriver BiDi, with the Firefox build of the
// extension (.output/firefox-mv3, `npm run build:firefox`) installed as a temporary add-on.
// Firefox has no CDP and its background is an event page, not a service worker: what the
// chromium helper reads in the worker is asked here from an extension page instead.
import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer, { type Page } from 'puppeteer';
import type { TabView, WorkerRequest } from '../../extension/shared/messages';
import { newProfile, type LabBrowser } from './browser';
import { removeDir, ROOT } from './companion';

export const FIREFOX_EXTENSION_DIR = path.join(ROOT, '.output', 'firefox-mv3');
export const FIREFOX = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr';
/**
 * Firefox gives each install a random moz-extension:// UUID, the origin of the extension's
 * pages and requests. The tests pin it (the `extensions.webextensions.uuids` pref) so the
 * companion can be told to trust it (--allow-extension) before the browser starts.
 */
export const FIREFOX_EXTENSION_UUID = '7a1e0b52-3c55-4d2e-9a4f-5b0c2d6e8f10';
export const FIREFOX_EXTENSION_ORIGIN = `moz-extension://${FIREFOX_EXTENSION_UUID}`;

export type FirefoxManifest = { browser_specific_settings: { gecko: { id: string; strict_min_version?: string } } } & Record<string, any>;

/** A Firefox build's manifest (the add-on id comes from wxt.config.ts). */
export function firefoxManifest(dir = FIREFOX_EXTENSION_DIR): FirefoxManifest {
  return JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
}

/**
 * A copy of the build to install: Firefox reads a temporary add-on's files from its folder
 * while it runs, and another `wxt build` (another test run's global setup) empties that folder
 * for a while. A copy caught mid-build is taken again.
 */
function copyOfBuild(): string {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const dir = mkdtempSync(path.join(tmpdir(), 'vl-firefox-ext-'));
    try {
      cpSync(FIREFOX_EXTENSION_DIR, dir, { recursive: true });
      const manifest = firefoxManifest(dir);
      if (manifest.background.scripts.every((f: string) => existsSync(path.join(dir, f)))) return dir;
    } catch {
      /* mid-build: try again */
    }
    removeDir(dir);
    if (Date.now() > deadline) throw new Error(`no complete Firefox build in ${FIREFOX_EXTENSION_DIR}: npm run build:firefox`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
  }
}

export interface FirefoxLab extends LabBrowser {
  /** moz-extension://UUID */
  origin: string;
  /** The manifest of the build installed. */
  manifest: FirefoxManifest;
  /** The popup's page for `page`'s tab, opened in a tab of its own (popup.html?tabId=). */
  openPopup(page: Page): Promise<Page>;
  /** The full view (timeline.html, the DevTools panel's page) for `page`'s tab. */
  openPanel(page: Page): Promise<Page>;
}

/**
 * Launches firefox-esr on `profile` (a fresh one by default) with the extension installed (a
 * temporary add-on is gone once Firefox closes: installed again each time), ready once the
 * background has registered the tracker for the built-in sites. `worker()` rejects (no service
 * worker to reach); `inWorker(fn)` runs `fn` in an extension page, which has the same
 * extension APIs but not the background's globals.
 */
export async function launchFirefoxLab(options: { profile?: string } = {}): Promise<FirefoxLab> {
  if (!existsSync(FIREFOX)) throw new Error(`no Firefox at ${FIREFOX}: apt-get install firefox-esr, or set FIREFOX_PATH`);
  const profile = options.profile ?? (await newProfile());
  const extensionDir = copyOfBuild();
  const manifest = firefoxManifest(extensionDir);
  const geckoId = manifest.browser_specific_settings.gecko.id;
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    userDataDir: profile,
    // Lets WebDriver BiDi open moz-extension:// pages (the popup, the helper page); refused otherwise.
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: { 'extensions.webextensions.uuids': JSON.stringify({ [geckoId]: FIREFOX_EXTENSION_UUID }) },
  });
  let extensionId: string;
  try {
    extensionId = await browser.installExtension(extensionDir);
  } catch (e) {
    await browser.close();
    removeDir(extensionDir);
    throw e;
  }
  if (extensionId !== geckoId) {
    await browser.close();
    throw new Error(`the Firefox build installed as ${extensionId}, not ${geckoId}`);
  }
  const origin = FIREFOX_EXTENSION_ORIGIN;

  /**
   * A new tab showing the extension's page at `pathAndQuery`. The tab does go there, but
   * puppeteer never hears that the navigation ended (the page moves to the extension's
   * process), so goto's own wait is left aside and the page's address is polled instead.
   */
  async function openExtensionPage(pathAndQuery: string): Promise<Page> {
    const page = await browser.newPage();
    const url = `${origin}${pathAndQuery}`;
    page.goto(url, { timeout: 0 }).catch(() => undefined);
    const deadline = Date.now() + 15_000;
    for (;;) {
      const at = await page.evaluate(() => (document.readyState === 'complete' ? location.href : '')).catch(() => '');
      if (at === url) return page;
      if (Date.now() > deadline) throw new Error(`${url} did not open (at ${at || page.url()})`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  let helperPage: Page | null = null;
  async function extensionPage(): Promise<Page> {
    if (helperPage && !helperPage.isClosed()) return helperPage;
    helperPage = await openExtensionPage('/popup.html?helper');
    return helperPage;
  }
  const inExtensionPage = async <T,>(fn: () => T | Promise<T>): Promise<T> => (await (await extensionPage()).evaluate(fn)) as T;

  const lab: FirefoxLab = {
    browser,
    extensionId,
    origin,
    manifest,
    profile,
    worker: () => Promise.reject(new Error('Firefox runs the background as an event page: there is no service worker to reach')),
    inWorker: inExtensionPage,
    async ask<T>(msg: WorkerRequest): Promise<T> {
      const page = await extensionPage();
      return (await page.evaluate((m) => (globalThis as any).browser.runtime.sendMessage(m), msg as never)) as T;
    },
    async tabId(page: Page): Promise<number> {
      const url = page.url();
      const ext = await extensionPage();
      return ext.evaluate(async (u) => (await (globalThis as any).browser.tabs.query({})).find((t: { url: string }) => t.url === u).id as number, url);
    },
    async tabView(page: Page): Promise<TabView> {
      return lab.ask<TabView>({ type: 'tab:get', tabId: await lab.tabId(page) });
    },
    async openPopup(page: Page): Promise<Page> {
      const tabId = await lab.tabId(page);
      const popup = await openExtensionPage(`/popup.html?tabId=${tabId}`);
      await popup.waitForSelector('#visitor-lab');
      return popup;
    },
    async openPanel(page: Page): Promise<Page> {
      const panel = await openExtensionPage(`/timeline.html?tabId=${await lab.tabId(page)}`);
      await panel.waitForSelector('#visitor-lab-panel');
      return panel;
    },
    async close() {
      await browser.close().catch(() => undefined);
      removeDir(extensionDir);
      if (!options.profile) removeDir(profile);
    },
  };

  for (let i = 0; ; i++) {
    const registered = await inExtensionPage(async () => (await (globalThis as any).browser.scripting.getRegisteredContentScripts()).length as number);
    if (registered >= 1) break;
    if (i > 100) {
      await lab.close();
      throw new Error('content scripts were never registered');
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return lab;
}
