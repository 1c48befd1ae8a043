// The popup: the current tab's visitor (state, ids), its timeline, and the tester's actions.
import { useState } from 'preact/hooks';
import type { VisitorState } from '../../protocol/events';
import { browser } from 'wxt/browser';
import { Actions } from './Actions/Actions';
import { ExportButtons } from './Export/ExportButtons';
import { StateBadge } from './Header/StateBadge';
import { useCompanionVisit, useTabId, useTabView } from './hooks';
import { IdList } from './Ids/IdList';
import { LoaderNotice } from './Loader/LoaderNotice';
import { CompactPicture } from './Picture/CompactPicture';
import { SiteToggle } from './Site/SiteToggle';
import { CompanionSettings } from './Status/CompanionSettings';
import { CompanionStatus } from './Status/CompanionStatus';
import { Timeline, TIMELINE_MORE, TIMELINE_PAGE } from './Timeline/Timeline';
import { SpecSection } from './Spec/SpecSection';
import { RunSection } from './Run/RunSection';

function Empty({ text }: { text: string }) {
  return (
    <p id="empty" class="empty">
      {text}
    </p>
  );
}

/** The full view (timeline.html, also the DevTools panel) of this tab, in a new tab. */
function openFullView(tabId: number): Promise<unknown> {
  return browser.tabs.create({ url: browser.runtime.getURL(`/timeline.html?tabId=${tabId}` as '/timeline.html') });
}

export function App() {
  const tabId = useTabId();
  const [filter, setFilter] = useState('');
  // The newest records only, more on demand: a 1,000-record log would otherwise be sent, and
  // rendered, in full every second. A filter searches the whole log.
  const [shown, setShown] = useState(TIMELINE_PAGE);
  const [view, refresh] = useTabView(tabId, filter.trim() ? undefined : shown);
  const companion = useCompanionVisit(view);
  if (tabId === -1) return <Empty text="No tab to show." />;
  if (!view) return <p class="muted">Loading…</p>;

  const ids = view.ids;
  const fromCompanion = companion?.visit ?? null;
  const state: VisitorState = fromCompanion?.visitorState ?? view.localState ?? 'Anonymous';
  const identityIds = fromCompanion?.identityIds ?? [];
  const tracking = view.site?.enabled ?? false;

  return (
    <main id="visitor-lab">
      <header class="top">
        <h1>Visitor Lab</h1>
        {ids ? <StateBadge state={state} source={fromCompanion ? 'companion' : 'local'} /> : null}
      </header>
      <CompanionStatus status={view.companion} waiting={view.waiting} />
      <RunSection />
      {view.site ? <SiteToggle site={view.site} onChange={refresh} /> : null}
      {view.site ? <LoaderNotice tabId={view.tabId} pageKey={view.ids?.pageID ?? view.url ?? ''} /> : null}
      {!view.site ? (
        <Empty
          text={
            view.url
              ? 'Tracking is off on this page: the tracker runs on http(s) sites only.'
              : 'Tracking is off on this page. To switch it on for this site, open Visitor Lab from its toolbar button on the page.'
          }
        />
      ) : !ids ? (
        <Empty
          text={
            tracking
              ? 'Nothing captured on this tab yet. Reload the page to start tracking it.'
              : `Tracking is off for ${view.site.host}. Switch it on above, then reload the page.`
          }
        />
      ) : (
        <>
          <IdList
            rows={[
              { name: 'globalVisitID', value: ids.globalVisitID },
              { name: 'visitID', value: ids.visitID },
              { name: 'sessionID', value: ids.sessionID },
              { name: 'pageID', value: ids.pageID },
              { name: 'identityId', value: identityIds[identityIds.length - 1] },
            ]}
          />
          {companion?.error && !view.companion.auth ? <p class="muted">History API: {companion.error}</p> : null}
          <CompactPicture tabId={view.tabId} revision={view.revision} visitID={ids.visitID} visitorState={fromCompanion?.visitorState} filter={filter} />
          <div class="row">
            <button id="open-full" type="button" onClick={() => void openFullView(view.tabId)} title="The same picture full size, with the inspector, in a tab">
              ⤢ Open full view
            </button>
            <ExportButtons tabId={view.tabId} />
          </div>
          <SpecSection tabId={view.tabId} revision={view.revision} />
          {tracking ? null : (
            <p id="tracking-off" class="notice rejected">
              Tracking is off for {view.site.host}: below is what was captured before. Switch it on above and reload to track again.
            </p>
          )}
          {tracking ? <Actions tabId={view.tabId} onDone={refresh} /> : null}
          <Timeline
            records={view.records}
            total={view.total}
            deliveries={view.deliveries}
            pageID={ids.pageID}
            filter={filter}
            onFilter={setFilter}
            limit={shown}
            onMore={() => setShown((n) => n + TIMELINE_MORE)}
          />
        </>
      )}
      <CompanionSettings url={view.companion.url} open={Boolean(view.companion.auth)} onChange={refresh} />
    </main>
  );
}
