// The popup's spec (issue 11, "Expectations"): load one (paste it, or choose a file in the popup
// opened as a tab: a popup can close when a file chooser opens), then watch it ticked off against
// this tab's visit as the tester browses. The worker keeps the spec (storage.local) and checks
// it (worker/spec.ts): the popup asks again whenever the tab's log moves, and each second.
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { Checklist } from '../../../ui/expectations';
import type { TabCheck } from '../../worker/spec';
import { ask } from '../hooks';
import { SpecForm } from './SpecForm';
import '../../../ui/expectations/checklist.css';
import './spec.css';

const POLL_MS = 1000;

/** The tab's check, asked when the log's revision moves and each second (identities come from the companion). */
function useTabCheck(tabId: number, revision: string): [TabCheck | null, () => void] {
  const [check, setCheck] = useState<TabCheck | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    const load = () =>
      void ask<TabCheck>({ type: 'tab:check', tabId })
        .then((c) => live && c && setCheck(c))
        .catch(() => undefined);
    load();
    const timer = setInterval(load, POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [tabId, revision, tick]);
  return [check, () => setTick((t) => t + 1)];
}

/** This popup as a tab (where a file chooser does not close it), on the spec's form. */
function openAsTab(tabId: number): Promise<unknown> {
  return browser.tabs.create({ url: browser.runtime.getURL(`/popup.html?tabId=${tabId}#spec` as '/popup.html') });
}

export function SpecSection({ tabId, revision }: { tabId: number; revision: string }) {
  const [check, refresh] = useTabCheck(tabId, revision);
  const [replacing, setReplacing] = useState(false);
  const loaded = Boolean(check?.spec);
  const inTab = new URLSearchParams(location.search).has('tabId');
  const clear = async () => {
    await ask({ type: 'spec:clear' });
    setReplacing(false);
    refresh();
  };
  return (
    <section id="spec" class="spec" aria-labelledby="spec-title">
      <h2 id="spec-title">Spec{check?.spec?.name ? `: ${check.spec.name}` : ''}</h2>
      {check === null ? <p class="muted">Loading…</p> : null}
      {check && !loaded ? <p class="muted">No spec loaded: paste one (JSON, docs/expectations.md) to tick it off as you browse this tab.</p> : null}
      {check?.spec && check.report ? (
        <>
          <Checklist spec={check.spec} report={check.report} compact />
          {check.identitiesFrom === 'events' && check.spec.identities?.length ? (
            <p class="muted">Identities as this tab's SignIn and UserInfo name them (the companion has not answered for this visit).</p>
          ) : null}
        </>
      ) : null}
      {check && (!loaded || replacing) ? (
        <SpecForm
          onLoaded={() => {
            setReplacing(false);
            refresh();
          }}
        />
      ) : null}
      {check ? (
        <div class="row">
          {loaded && !replacing ? (
            <button id="spec-replace" type="button" onClick={() => setReplacing(true)}>
              Replace spec…
            </button>
          ) : null}
          {loaded ? (
            <button id="spec-clear" type="button" onClick={() => void clear()}>
              ✕ Clear spec
            </button>
          ) : null}
          {!inTab && (!loaded || replacing) ? (
            <button id="spec-open-tab" type="button" onClick={() => void openAsTab(tabId)} title="The popup in a tab, where choosing a file does not close it">
              Load from a file (in a tab)
            </button>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
