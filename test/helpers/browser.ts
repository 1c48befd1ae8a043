// Debian's chromium driven by puppeteer with the built extension loaded (see
// ../shared/reference/extension-testing.md for why these flags and this way of loading).
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page, type Target, type WebWorker } from 'puppeteer';
import { EXTENSION_ID } from '../../companion/server/extension-id';
import { findChromium } from '../../testing/chromium';
import type { TabView, WorkerRequest } from '../../extension/shared/messages';
import { removeDir, ROOT } from './companion';

export const EXTENSION_DIR = path.join(ROOT, '.output', 'chrome-mv3');
/** Found as the helper library finds it (env, then the usual places); e2e's global setup stops with one line when there is none. */
export const CHROMIUM = chromiumOrNone();

function chromiumOrNone(): string {
  try {
    return findChromium() ?? 'chromium';
  } catch {
    return 'chromium'; // a variable naming no executable: the global setup says which
  }
}

export interface LabBrowser {
  browser: Browser;
  extensionId: string;
  profile: string;
  /** The extension's service worker (found again after it was stopped). */
  worker(): Promise<WebWorker>;
  /**
   * Evaluates in the service worker. Retried: right after a worker was stopped (or while one is
   * starting) the target found can be the dying one, or one whose extension APIs are not bound yet.
   */
  inWorker<T>(fn: () => T | Promise<T>): Promise<T>;
  /** Sends a message to the worker as the popup would. */
  ask<T = unknown>(msg: WorkerRequest): Promise<T>;
  tabView(page: Page): Promise<TabView>;
  tabId(page: Page): Promise<number>;
  close(): Promise<void>;
}

export async function newProfile(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'vl-profile-'));
}

/** The switches every test chromium gets: without them it stalls on a closed network. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Chromium as a suite starts it: an extension folder (a helper library's extensionDir, with its
 * preset) on the command line, a fresh profile, nothing waited for. `close` removes the profile.
 */
export async function launchSuiteBrowser(extensionDir: string, args: string[] = []): Promise<{ browser: Browser; profile: string; close(): Promise<void> }> {
  const profile = await newProfile();
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    pipe: true,
    enableExtensions: [extensionDir],
    userDataDir: profile,
    args: [...CHROMIUM_ARGS, ...args],
  });
  return {
    browser,
    profile,
    async close() {
      await browser.close().catch(() => undefined);
      removeDir(profile);
    },
  };
}

/**
 * Launches chromium on `profile` (a fresh one by default) with the extension installed.
 * `args` are extra chromium switches, e.g. `--host-resolver-rules=MAP *.test 127.0.0.1` to give
 * pages ordinary-looking origins that are served on this machine.
 */
export async function launchLab(options: { profile?: string; extension?: boolean; args?: string[] } = {}): Promise<LabBrowser> {
  const profile = options.profile ?? (await newProfile());
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    pipe: true,
    enableExtensions: options.extension !== false,
    userDataDir: profile,
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
  });
  const extensionId = options.extension === false ? '' : await browser.installExtension(EXTENSION_DIR);
  // The companion trusts this id alone (the manifest key fixes it): a build without the key
  // would have a random one, and its requests would be refused.
  if (extensionId && extensionId !== EXTENSION_ID) {
    await browser.close();
    throw new Error(`the built extension has id ${extensionId}, not ${EXTENSION_ID}: is the key in wxt.config.ts?`);
  }
  const isWorker = (t: Target) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${extensionId}/`);
  const worker = async (): Promise<WebWorker> => {
    // The newest matching target: one of a worker that was just stopped can linger in the list.
    const deadline = Date.now() + 10_000;
    for (;;) {
      const target = browser.targets().filter(isWorker).at(-1);
      const sw = target ? await target.worker().catch(() => null) : null;
      if (sw) return sw;
      if (Date.now() > deadline) throw new Error('the extension has no service worker');
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const inWorker = async <T,>(fn: () => T | Promise<T>): Promise<T> => {
    let last: unknown;
    for (let i = 0; i < 20; i++) {
      try {
        const sw = await worker();
        const ready = await sw.evaluate(() => typeof (globalThis as { chrome?: { runtime?: unknown } }).chrome?.runtime === 'object');
        if (ready) return (await sw.evaluate(fn)) as T;
        last = new Error('extension APIs not bound yet');
      } catch (e) {
        last = e;
        // A stopped worker has no target: a message from an extension page starts it again.
        await lab.ask({ type: 'settings:get' }).catch(() => undefined);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw last;
  };
  const lab: LabBrowser = {
    browser,
    extensionId,
    profile,
    worker,
    inWorker,
    async ask<T>(msg: WorkerRequest): Promise<T> {
      // From an extension page, like the popup: the worker restarts for it if it was stopped.
      const page = await extensionPage();
      return (await page.evaluate((m) => (globalThis as any).chrome.runtime.sendMessage(m), msg as never)) as T;
    },
    async tabId(page: Page): Promise<number> {
      const url = page.url();
      const ext = await extensionPage();
      return ext.evaluate(async (u) => (await (globalThis as any).chrome.tabs.query({})).find((t: { url: string }) => t.url === u).id as number, url);
    },
    async tabView(page: Page): Promise<TabView> {
      return lab.ask<TabView>({ type: 'tab:get', tabId: await lab.tabId(page) });
    },
    async close() {
      await browser.close().catch(() => undefined);
      if (!options.profile) await removeDir(profile);
    },
  };
  let helperPage: Page | null = null;
  async function extensionPage(): Promise<Page> {
    if (helperPage && !helperPage.isClosed()) return helperPage;
    helperPage = await browser.newPage();
    await helperPage.goto(`chrome-extension://${extensionId}/popup.html?helper`);
    return helperPage;
  }
  if (options.extension !== false) {
    // Ready once the worker has registered the tracker for the built-in sites.
    for (let i = 0; ; i++) {
      const registered = await inWorker(async () => (await (globalThis as any).chrome.scripting.getRegisteredContentScripts()).length);
      if (registered >= 1) break;
      if (i > 100) throw new Error('content scripts were never registered');
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return lab;
}
