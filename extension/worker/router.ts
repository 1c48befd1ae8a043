// The worker's answers to the content script and the popup.
import { browser } from 'wxt/browser';
import type { LabCommand } from '../shared/capture';
import type { SettingsView, SiteView, TabStory, TabView, WorkerRequest } from '../shared/messages';
import { storyFromCapture } from '../shared/story';
import { localVisitorState } from '../shared/visitor-state';
import type { CaptureLog, TabLog } from './capture-log';
import { captureRequest } from './capture';
import type { CompanionLink } from './companion';
import type { Courier } from './delivery';
import type { Outbox } from './outbox';
import type { Persisted } from './persisted';
import { loaderRequest } from './loader-requests';
import { labInPage, sendsDirect } from './direct';
import { injectRelay } from './relay';
import { specRequest } from './spec-route';
import { clearRun, runView, startRun, stopRun } from './runs';
import { BUILT_IN_HOSTS, hostPattern, normalizeCompanionUrl, trackableHost, trackedHosts, userProblem, type Settings } from './settings';

export interface Worker {
  settings: Persisted<Settings>;
  outbox: Outbox;
  log: CaptureLog;
  courier: Courier;
  /** The path to the companion (address, credentials): the popup's reads go through it. */
  companion: CompanionLink;
  syncSites: () => Promise<unknown>;
  /** `fresh`: the settings changed, so a check under way does not count. */
  checkCompanion: (fresh?: boolean) => Promise<void>;
}

// Kept here for their tests and callers; the capture path is capture.ts.
export { capture, MAX_RECORD_BYTES, saneRecord } from './capture';

/** On when the user switched it on and the browser grants the host (it can be revoked there). */
async function siteEnabled(w: Worker, host: string): Promise<boolean> {
  if (!trackedHosts(await w.settings.get()).includes(host)) return false;
  return browser.permissions.contains({ origins: [hostPattern(host)] }).catch(() => false);
}

async function siteView(w: Worker, url: string | null): Promise<SiteView | null> {
  const host = trackableHost(url);
  if (!host) return null;
  return { host, enabled: await siteEnabled(w, host), builtIn: BUILT_IN_HOSTS.includes(host) };
}

async function tabView(w: Worker, tabId: number, limit?: number): Promise<TabView> {
  const tab = await browser.tabs.get(tabId).catch(() => null);
  const log = await w.log.get(tabId);
  const url = tab?.url || log.url;
  if (Date.now() - w.courier.status.checkedAt > 2000) {
    // Answered with the status as last checked (the popup's next poll gets the new one), so a
    // slow or stopped companion does not hold up the popup; only the very first look waits.
    const check = w.checkCompanion();
    if (w.courier.status.reachable === null) await check;
  }
  const records = limit !== undefined && limit >= 0 && limit < log.records.length ? log.records.slice(log.records.length - limit) : log.records;
  let deliveries = log.deliveries;
  if (records !== log.records) {
    deliveries = {};
    for (const r of records) for (const e of r.events) if (log.deliveries[e.eventID]) deliveries[e.eventID] = log.deliveries[e.eventID];
  }
  return {
    tabId,
    url: url ?? null,
    site: await siteView(w, url ?? null),
    ids: log.ids,
    records,
    total: log.records.length,
    deliveries,
    localState: log.ids ? localVisitorState(log.records, log.ids.visitID) : null,
    companion: w.companion.auth ? { ...w.courier.status, auth: w.companion.auth } : w.courier.status,
    waiting: await w.outbox.size(),
    revision: revisionOf(log),
  };
}

/** Cheap to compute each poll: a new record, a dropped one or any delivery change moves it. */
export function revisionOf(log: TabLog): string {
  let latest = 0;
  let count = 0;
  for (const id in log.deliveries) {
    count++;
    if (log.deliveries[id].at > latest) latest = log.deliveries[id].at;
  }
  const last = log.records.at(-1);
  return `${log.records.length}:${last ? `${last.ids.pageID}#${last.seq}` : ''}:${count}:${latest}`;
}

async function tabStory(w: Worker, tabId: number, visitID?: string): Promise<TabStory> {
  const log = await w.log.get(tabId);
  const story = storyFromCapture(log.records, log.deliveries, { tabId, visitID: visitID ?? log.ids?.visitID });
  return { tabId, story, revision: revisionOf(log) };
}

function settingsView(s: Settings): SettingsView {
  const { companionUrl, companionUser, companionPassword, enabledHosts, disabledHosts } = s;
  return { companionUrl, companionUser, hasPassword: companionPassword !== '', enabledHosts, disabledHosts };
}

async function setSettings(w: Worker, msg: Extract<WorkerRequest, { type: 'settings:set' }>): Promise<unknown> {
  const url = normalizeCompanionUrl(String(msg.companionUrl ?? ''));
  if (!url) return { ok: false, field: 'companionUrl', error: 'the companion address must be an http(s) URL, like http://127.0.0.1:9081' };
  if (msg.user !== undefined && typeof msg.user !== 'string') return { ok: false, field: 'user', error: 'the user must be text' };
  if (msg.password !== undefined && typeof msg.password !== 'string') return { ok: false, field: 'password', error: 'the password must be text' };
  const problem = msg.user === undefined ? null : userProblem(msg.user);
  if (problem) return { ok: false, field: 'user', error: problem };
  const settings = await w.settings.get();
  settings.companionUrl = url;
  if (msg.user !== undefined) settings.companionUser = msg.user;
  if (msg.password !== undefined) settings.companionPassword = msg.password;
  await w.settings.save();
  await w.checkCompanion(true);
  void w.courier.flush(true);
  return { ok: true, companionUrl: url };
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
  return { host, enabled: await siteEnabled(w, host), builtIn: BUILT_IN_HOSTS.includes(host) };
}

/** A lab action for the tab's page; a page still loading may not have its relay yet. */
async function toRelay(tabId: number, lab: LabCommand): Promise<unknown> {
  // A page of the direct path has no relay (worker/direct.ts).
  const tab = await browser.tabs.get(tabId).catch(() => null);
  if (sendsDirect(tab?.url)) return labInPage(tabId, lab);
  try {
    return await browser.tabs.sendMessage(tabId, { type: 'lab', lab });
  } catch {
    await injectRelay(tabId);
    return browser.tabs.sendMessage(tabId, { type: 'lab', lab });
  }
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
      return captureRequest(w, msg, senderTabId);
    case 'tab:get':
      return tabView(w, msg.tabId, typeof msg.limit === 'number' ? Math.floor(msg.limit) : undefined);
    case 'tab:lab':
      return toRelay(msg.tabId, msg.lab);
    case 'tab:newVisit':
      await toRelay(msg.tabId, { type: 'newVisit' });
      await browser.tabs.reload(msg.tabId);
      return { ok: true };
    case 'site:set':
      return setSite(w, msg.host, msg.enabled);
    case 'settings:get':
      return settingsView(await w.settings.get());
    case 'settings:set':
      return setSettings(w, msg);
    case 'companion:visit':
      if (typeof msg.visitID !== 'string' || !msg.visitID) return { ok: false, field: 'visitID', error: 'visitID is required' };
      return w.companion.visit(msg.visitID);
    case 'tab:story':
      if (!Number.isInteger(msg.tabId)) return { ok: false, field: 'tabId', error: 'tabId must be a tab number' };
      return tabStory(w, msg.tabId, typeof msg.visitID === 'string' ? msg.visitID : undefined);
    case 'tab:loaders':
    case 'loader:setPatterns':
      return loaderRequest(w, msg);
    case 'run:get':
      return runView(w);
    case 'run:start':
      return startRun(w, msg.name);
    case 'run:stop':
      return stopRun(w);
    case 'run:clear':
      return clearRun(w);
    case 'spec:set':
    case 'spec:clear':
    case 'tab:check':
      return specRequest(w, msg);
    case 'companion:flush':
      await w.courier.flush(true);
      return { ok: true, waiting: await w.outbox.size() };
    default:
      return undefined;
  }
}
