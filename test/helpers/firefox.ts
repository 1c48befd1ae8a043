// Debian's firefox-esr driven by puppeteer over WebDriver BiDi, with the Firefox build of the
// extension (.output/firefox-mv3, `npm run build:firefox`) installed as a temporary add-on.
// Firefox has no CDP and its background is an event page, not a service worker: what the
// chromium helper reads in the worker is asked here from an extension page instead.
import { existsSync, readFileSync } from 'node:fs';
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

/** The built Firefox manifest (the add-on id comes from wxt.config.ts). */
export function firefoxManifest(): { browser_specific_settings: { gecko: { id: string; strict_min_version?: string } } } & Record<string, any> {
  return JSON.parse(readFileSync(path.join(FIREFOX_EXTENSION_DIR, 'manifest.json'), 'utf8'));
}

export interface FirefoxLab extends LabBrowser {
  /** moz-extension://UUID */
  origin: string;
  /** The popup's page for `page`'s tab, opened in a tab of its own (popup.html?tabId=). */
  openPopup(page: Page): Promise<Page>;
}

/**
 * Launches firefox-esr on a fresh profile with the extension installed, ready once the
 * background has registered the tracker for the built-in sites. `worker()` rejects (no service
 * worker to reach); `inWorker(fn)` runs `fn` in an extension page, which has the same
 * extension APIs but not the background's globals.
 */
export async function launchFirefoxLab(): Promise<FirefoxLab> {
  if (!existsSync(FIREFOX)) throw new Error(`no Firefox at ${FIREFOX}: apt-get install firefox-esr, or set FIREFOX_PATH`);
  const profile = await newProfile();
  const geckoId = firefoxManifest().browser_specific_settings.gecko.id;
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
    extensionId = await browser.installExtension(FIREFOX_EXTENSION_DIR);
  } catch (e) {
    await browser.close();
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
    async close() {
      await browser.close().catch(() => undefined);
      removeDir(profile);
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
