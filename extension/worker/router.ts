// The worker's answers to the content script and the popup.
import { browser } from 'wxt/browser';
import { checkEvent } from '../../protocol/events';
import type { CaptureRecord } from '../shared/capture';
import type { Delivery, SiteView, TabView, WorkerRequest } from '../shared/messages';
import type { CaptureLog } from './capture-log';
import type { Courier } from './delivery';
import type { Outbox } from './outbox';
import type { Persisted } from './persisted';
import { BUILT_IN_HOSTS, hostPattern, normalizeCompanionUrl, trackableHost, trackedHosts, type Settings } from './settings';

export interface Worker {
  settings: Persisted<Settings>;
  outbox: Outbox;
  log: CaptureLog;
  courier: Courier;
  syncSites: () => Promise<unknown>;
  checkCompanion: () => Promise<void>;
}

/** A capture record from a tab: its events checked against the protocol, queued, logged. */
export async function capture(w: Worker, tabId: number, record: CaptureRecord): Promise<void> {
  // Logged last (below), so a logged record had its events queued already.
  if (await w.log.has(tabId, record)) return;
  const now = Date.now();
  const valid = [];
  const states: Array<[string, Delivery]> = [];
  for (const ev of record.events) {
    const check = checkEvent(ev);
    if (check.ok) {
      valid.push(check.event);
      states.push([ev.eventID, { state: 'queued', at: now }]);
    } else {
      const { field, reason } = check.problem;
      states.push([ev.eventID, { state: 'rejected', by: 'extension', field, reason: `${field}: ${reason}`, at: now }]);
    }
  }
  // The delivery states first: a flush started by another tab could otherwise report `sent`
  // before this `queued`, and be overwritten by it.
  await w.log.deliver(tabId, states);
  await w.outbox.add(valid, tabId);
  await w.log.add(tabId, record);
  void w.courier.flush();
}

async function siteView(w: Worker, url: string | null): Promise<SiteView | null> {
  const host = trackableHost(url);
  if (!host) return null;
  return { host, enabled: trackedHosts(await w.settings.get()).includes(host), builtIn: BUILT_IN_HOSTS.includes(host) };
}

async function tabView(w: Worker, tabId: number): Promise<TabView> {
  const tab = await browser.tabs.get(tabId).catch(() => null);
  const log = await w.log.get(tabId);
  const url = tab?.url || log.url;
  if (Date.now() - w.courier.status.checkedAt > 2000) await w.checkCompanion();
  return {
    tabId,
    url: url ?? null,
    site: await siteView(w, url ?? null),
    ids: log.ids,
    records: log.records,
    deliveries: log.deliveries,
    companion: w.courier.status,
    waiting: await w.outbox.size(),
  };
}

async function setSite(w: Worker, host: string, enabled: boolean): Promise<SiteView> {
  const settings = await w.settings.get();
  const without = (list: string[]) => list.filter((h) => h !== host);
  if (BUILT_IN_HOSTS.includes(host)) {
    settings.disabledHosts = enabled ? without(settings.disabledHosts) : [...without(settings.disabledHosts), host];
  } else {
    settings.enabledHosts = enabled ? [...without(settings.enabledHosts), host] : without(settings.enabledHosts);
    // The popup asked for the permission when switching on; switching off gives it back.
    if (!enabled) await browser.permissions.remove({ origins: [hostPattern(host)] }).catch(() => false);
  }
  await w.settings.save();
  await w.syncSites();
  return { host, enabled: trackedHosts(settings).includes(host), builtIn: BUILT_IN_HOSTS.includes(host) };
}

/**
 * Answers a message. `fromExtension`: sent by one of the extension's own pages (the popup);
 * only those may change settings or act on tabs. A content script (which relays what a page
 * says, so anything) may only report captures for its own tab.
 */
export async function route(w: Worker, msg: WorkerRequest, senderTabId: number | undefined, fromExtension: boolean): Promise<unknown> {
  if (msg?.type !== 'capture' && !fromExtension) return { ok: false, error: 'not allowed from a page' };
  switch (msg?.type) {
    case 'capture':
      if (senderTabId === undefined) return { ok: false };
      await capture(w, senderTabId, msg.record);
      return { ok: true };
    case 'tab:get':
      return tabView(w, msg.tabId);
    case 'tab:lab':
      return browser.tabs.sendMessage(msg.tabId, { type: 'lab', lab: msg.lab });
    case 'tab:newVisit':
      await browser.tabs.sendMessage(msg.tabId, { type: 'lab', lab: { type: 'newVisit' } });
      await browser.tabs.reload(msg.tabId);
      return { ok: true };
    case 'site:set':
      return setSite(w, msg.host, msg.enabled);
    case 'settings:get':
      return w.settings.get();
    case 'settings:set': {
      const url = normalizeCompanionUrl(msg.companionUrl);
      if (!url) return { ok: false, error: 'the companion address must be an http(s) URL, like http://127.0.0.1:9081' };
      (await w.settings.get()).companionUrl = url;
      await w.settings.save();
      await w.checkCompanion();
      void w.courier.flush();
      return { ok: true, companionUrl: url };
    }
    case 'companion:flush':
      await w.courier.flush();
      return { ok: true, waiting: await w.outbox.size() };
    default:
      return undefined;
  }
}
