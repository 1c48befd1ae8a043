// The service worker: receives the tabs' capture records, keeps their logs and the outbox in
// extension storage, and delivers events to the companion. It can be stopped at any moment
// (MV3): everything it needs again is in storage, and it resumes sending when it starts.
import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import type { WorkerRequest } from '../shared/messages';
import { CaptureLog } from '../worker/capture-log';
import { CompanionLink } from '../worker/companion';
import { Courier } from '../worker/delivery';
import { Outbox } from '../worker/outbox';
import type { Area } from '../worker/persisted';
import { route, type Worker } from '../worker/router';
import { BUILT_IN_HOSTS, hostOfPattern, settingsStore, tracksUrl } from '../worker/settings';
import { injectRelay, needsRelay, RELAY_FALLBACK_MS } from '../worker/relay';
import { syncContentScripts } from '../worker/sites';
import { externalCaptureTab } from '../worker/direct';
import { readPreset } from '../worker/preset';
import { leaveTrackedPage } from '../worker/page-exits';

const FLUSH_ALARM = 'visitor-lab-flush';

export default defineBackground(() => {
  const local = browser.storage.local as unknown as Area;
  const session = browser.storage.session as unknown as Area;
  const settings = settingsStore(local, readPreset);
  const outbox = new Outbox(local);
  const log = new CaptureLog(session);
  const companion = new CompanionLink(settings);
  const courier = new Courier({
    outbox,
    endpoint: () => companion.endpoint(),
    report: async (updates) => {
      const byTab = new Map<number, Array<[string, (typeof updates)[number]['delivery']]>>();
      for (const { item, delivery } of updates) {
        if (item.tabId === null) continue;
        const list = byTab.get(item.tabId) ?? byTab.set(item.tabId, []).get(item.tabId)!;
        list.push([item.event.eventID, delivery]);
      }
      await Promise.all([...byTab].map(([tabId, list]) => log.deliver(tabId, list)));
    },
    schedule: (delayMs, flush) => setTimeout(flush, delayMs),
  });

  // One sync at a time: registering while another sync unregisters fails on duplicate ids.
  let syncing: Promise<unknown> = Promise.resolve();
  // `catchUp`: a start-up sync, whose new registrations also go into pages already open
  // (worker/sites.ts: the first page of a browser started with the extension).
  const syncSites = (catchUp = false) =>
    (syncing = syncing.then(async () => syncContentScripts(await settings.get(), { catchUp })).catch((e) => console.error('[visitor-lab] content scripts:', e)));

  // One health check at a time: the popup's polls and the alarm may ask together. `fresh`
  // (new settings) runs a new check after one under way: that one may be asking the old address,
  // and its answer (reachable, credentials wanted) would stand for the new one until the next.
  let checking: Promise<void> | null = null;
  const checkCompanion = (fresh = false): Promise<void> => {
    if (checking && !fresh) return checking;
    const run: Promise<void> = (checking ?? Promise.resolve())
      .catch(() => undefined)
      .then(check)
      .finally(() => {
        if (checking === run) checking = null;
      });
    checking = run;
    return run;
  };
  const check = async () => {
    const health = await companion.health();
    courier.status = { ...health, checkedAt: Date.now() };
    if (health.reachable && (await outbox.size()) > 0) void courier.flush(true);
  };

  const worker: Worker = { settings, outbox, log, courier, companion, syncSites, checkCompanion };
  // For the e2e tests (puppeteer evaluates in the worker) and for debugging from devtools.
  (globalThis as Record<string, unknown>).visitorLab = worker;

  // storage.session is empty after a browser restart: tab ids in the outbox mean nothing then.
  // Done before any message is handled, so a restored tab's first capture keeps its tab.
  const ready = (async () => {
    const marker = 'visitorLab.browserSession';
    if (!(await session.get(marker))[marker]) {
      await outbox.detachTabs();
      await session.set({ [marker]: Date.now() });
    }
  })().catch((e) => console.error('[visitor-lab] start-up:', e));

  browser.runtime.onMessage.addListener((message: unknown, sender) => {
    const fromExtension = sender.id === browser.runtime.id && Boolean(sender.url?.startsWith(browser.runtime.getURL('/')));
    const answer = ready.then(() => route(worker, message as WorkerRequest, sender.tab?.id, fromExtension));
    return answer.then((a) => a ?? { ok: false, error: 'unknown request' });
  });

  // The direct path (worker/direct.ts): a built-in site's page sends its records itself; only
  // `capture`, only from a tracked built-in host's top frame.
  browser.runtime.onMessageExternal?.addListener((message: unknown, sender) => {
    const answer = ready.then(async () => {
      const tabId = externalCaptureTab(await settings.get(), message, sender);
      return tabId === null ? { ok: false, error: 'not allowed from a page' } : route(worker, message as WorkerRequest, tabId, false);
    });
    return answer.then((a) => a ?? { ok: false });
  });

  // A tracked page has loaded: its tracker is waiting for the relay. A page still loading a
  // second after it started (a slow image, a request that never ends) gets it then: its
  // records must not wait for a load that may not come, nor die with a tab closed meanwhile.
  browser.tabs.onUpdated.addListener((tabId, info, tab) => {
    if (info.status === 'complete') {
      void settings.get().then((s) => needsRelay(s, tab.url) && injectRelay(tabId));
    } else if (info.status === 'loading') {
      const url = tab.url;
      // Off to a page that is not tracked: the tracked page it leaves is exited now (a tracked
      // next page ends it with its own PageEntered: worker/page-exits.ts).
      void settings
        .get()
        .then((s) => (tracksUrl(s, url) ? undefined : leaveTrackedPage(worker, tabId)))
        .catch(() => undefined);
      setTimeout(() => {
        // Only for the same page, still loading: one that has loaded got the relay already,
        // and another page in the tab by now has its own turn.
        void Promise.all([settings.get(), browser.tabs.get(tabId)])
          .then(([s, now]) => now.status === 'loading' && now.url === url && needsRelay(s, url) && injectRelay(tabId))
          .catch(() => undefined);
      }, RELAY_FALLBACK_MS);
    }
  });
  // Pages that loaded while the worker was stopped or being updated (the relay skips a page
  // that has it).
  void (async () => {
    const s = await settings.get();
    for (const tab of await browser.tabs.query({ status: 'complete' })) {
      if (tab.id !== undefined && needsRelay(s, tab.url)) void injectRelay(tab.id);
    }
  })().catch((e) => console.error('[visitor-lab] relay:', e));

  browser.tabs.onRemoved.addListener((tabId) => {
    // A tab closed before its page's PageExited got out: send it on the page's behalf.
    void (async () => {
      const exited = await log.unexitedPage(tabId);
      if (exited) await outbox.add([exited], null);
      await log.forget(tabId);
      await outbox.detachTabs(tabId);
      void courier.flush();
    })();
  });

  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === FLUSH_ALARM) void courier.flush(true);
  });
  // Timers die with the worker; the alarm wakes it to retry what is still waiting.
  void browser.alarms.create(FLUSH_ALARM, { periodInMinutes: 0.5 });
  // A site permission (`*://HOST/*`; the companion's own is `http://HOST/*` and is not a site)
  // granted while the popup was closed by the prompt: the site the user asked for goes on.
  // A revoked one needs nothing: the scripts are registered only for granted hosts.
  browser.permissions.onAdded.addListener((p) => {
    const hosts = (p.origins ?? []).map(hostOfPattern).filter((h): h is string => !!h && !BUILT_IN_HOSTS.includes(h));
    if (hosts.length === 0) return;
    void (async () => {
      const s = await settings.get();
      s.enabledHosts = [...s.enabledHosts.filter((h) => !hosts.includes(h)), ...hosts];
      await settings.save();
      await syncSites();
    })().catch((e) => console.error('[visitor-lab] permission:', e));
  });
  browser.permissions.onRemoved.addListener(() => void syncSites());

  browser.runtime.onInstalled.addListener(() => void syncSites(true));
  browser.runtime.onStartup.addListener(() => void syncSites(true));
  void syncSites(true);
  void ready.then(() => courier.flush(true));
});
