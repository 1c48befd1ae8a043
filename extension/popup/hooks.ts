// Data for the popup and the panel, all from the worker: the tab's view (polled while open),
// the History API's view of the visit and the visit's story (both read by the worker).
import { useEffect, useLayoutEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { CompanionVisit, TabStory, TabView, WorkerRequest } from '../shared/messages';

export const ask = <T,>(msg: WorkerRequest): Promise<T> => browser.runtime.sendMessage(msg) as Promise<T>;

const POLL_MS = 1000;

const tabParam = new URLSearchParams(location.search).get('tabId');

/** The tab the popup is about: `?tabId=N` (other views, tests), else the active tab (-1: none). */
const theTab: Promise<number> = tabParam
  ? Promise.resolve(Number(tabParam))
  : browser.tabs.query({ active: true, currentWindow: true }).then(([tab]) => tab?.id ?? -1);

let firstView: { key: string; view: Promise<TabView> } | null = null;

/**
 * Asks for the tab's first view as soon as the popup's script runs, before anything is
 * rendered: the first screen waits on this answer. useTabView takes it if it asks the same.
 */
export function prefetchTabView(limit?: number): void {
  const view = theTab.then((tabId) => ask<TabView>({ type: 'tab:get', tabId, limit }));
  view.catch(() => undefined); // answered (or not) where it is used
  firstView = { key: JSON.stringify(limit ?? null), view };
}

export function useTabId(): number | null {
  const [tabId, setTabId] = useState<number | null>(tabParam ? Number(tabParam) : null);
  useLayoutEffect(() => {
    if (tabId === null) void theTab.then(setTabId);
  }, []);
  return tabId;
}

/** The tab's view, with the newest `limit` records (all of them when undefined). */
export function useTabView(tabId: number | null, limit?: number): [TabView | null, () => void] {
  const [view, setView] = useState<TabView | null>(null);
  const [tick, setTick] = useState(0);
  useLayoutEffect(() => {
    if (tabId === null || tabId < 0) return;
    let live = true;
    const load = () => {
      const early = firstView?.key === JSON.stringify(limit ?? null) ? firstView.view : null;
      firstView = null;
      return (early ?? ask<TabView>({ type: 'tab:get', tabId, limit }))
        .then((v) => live && v.tabId === tabId && setView(v))
        .catch(() => undefined);
    };
    void load();
    const timer = setInterval(load, POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [tabId, tick, limit]);
  return [view, () => setTick((t) => t + 1)];
}

/**
 * The visit as the History API has it, read by the worker (with the settings' credentials);
 * asked again whenever the tab's log changes.
 */
export function useCompanionVisit(view: TabView | null): CompanionVisit | null {
  const [result, setResult] = useState<CompanionVisit | null>(null);
  const base = view?.companion.url;
  const visitID = view?.ids?.visitID;
  const reachable = view?.companion.reachable;
  useEffect(() => {
    if (!base || !visitID || reachable === false) return;
    let live = true;
    ask<CompanionVisit>({ type: 'companion:visit', visitID })
      .then((r) => live && setResult(r))
      .catch((e: Error) => live && setResult({ visitID, visit: null, identities: [], error: e.message }));
    return () => {
      live = false;
    };
  }, [base, visitID, view?.revision, reachable, view?.companion.auth]);
  // Only an answer about this visit, from a companion that answers now: otherwise the popup
  // would show an old state as the companion's.
  return visitID && result?.visitID === visitID && reachable !== false ? result : null;
}

/**
 * The story of the tab's visit (the worker builds it over the whole log), asked for after the
 * first screen is drawn and again only when the log's revision moves: the popup's list comes
 * first, and a 1,000-record log is not sent every second.
 */
export function useTabStory(tabId: number | null, revision: string | undefined, visitID: string | undefined): TabStory | null {
  const [story, setStory] = useState<TabStory | null>(null);
  useEffect(() => {
    if (tabId === null || tabId < 0 || revision === undefined) return;
    let live = true;
    const run = () =>
      void ask<TabStory>({ type: 'tab:story', tabId, visitID })
        .then((s) => live && setStory(s))
        .catch(() => undefined);
    // After the browser has painted what is there (the first time: the list).
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => (timer = setTimeout(run, 0)));
    return () => {
      live = false;
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [tabId, revision, visitID]);
  return story;
}

/**
 * The tab's whole log for the panel: a light poll (no records) each second, and the full view
 * again only when its revision moves.
 */
export function useFullLog(tabId: number | null): [TabView | null, () => void] {
  const [light, refresh] = useTabView(tabId, 0);
  const [full, setFull] = useState<TabView | null>(null);
  useEffect(() => {
    if (tabId === null || tabId < 0 || !light) return;
    let live = true;
    void ask<TabView>({ type: 'tab:get', tabId })
      .then((v) => live && v.tabId === tabId && setFull(v))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [tabId, light?.revision]);
  // The status (companion, waiting, site) from the newest poll, the records from the last full read.
  return [full && light ? { ...full, companion: light.companion, waiting: light.waiting, site: light.site, ids: light.ids, localState: light.localState } : full, refresh];
}
