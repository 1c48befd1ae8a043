// The full view of one tab's visit: the DevTools panel (for the inspected tab) and the tab the
// popup opens (timeline.html?tabId=N). The picture full size with the inspector beside it, the
// filter (the picture's, which also filters the list), the record list, export.
import { useMemo, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { VisitorState } from '../../protocol/events';
import { MomentInspector, VisitTimeline, type Mark } from '../../ui/timeline';
import { pictureNow, storyFromCapture, visitsOf } from '../shared/story';
import { ExportButtons } from '../popup/Export/ExportButtons';
import { StateBadge } from '../popup/Header/StateBadge';
import { useCompanionVisit, useFullLog } from '../popup/hooks';
import { CompanionStatus } from '../popup/Status/CompanionStatus';
import { Timeline, TIMELINE_MORE } from '../popup/Timeline/Timeline';

/** `?tabId=N` (the full tab, tests), else the tab DevTools inspects; -1 when neither. */
function panelTabId(): number {
  const param = new URLSearchParams(location.search).get('tabId');
  if (param !== null && /^\d+$/.test(param)) return Number(param);
  const inspected = (browser as { devtools?: { inspectedWindow?: { tabId?: number } } }).devtools?.inspectedWindow?.tabId;
  return typeof inspected === 'number' ? inspected : -1;
}

const FIRST_ROWS = 100;

export function Panel() {
  const [tabId] = useState(panelTabId);
  const [view] = useFullLog(tabId);
  const companion = useCompanionVisit(view);
  const [filter, setFilter] = useState('');
  const [chosenVisit, setChosenVisit] = useState<string | undefined>(undefined);
  const [selected, setSelected] = useState<Mark | undefined>(undefined);
  const [rows, setRows] = useState(FIRST_ROWS);
  const visits = useMemo(() => (view ? visitsOf(view.records) : []), [view?.records]);
  const visitID = chosenVisit && visits.includes(chosenVisit) ? chosenVisit : (view?.ids?.visitID ?? visits.at(-1));
  const fromCompanion = companion?.visit && companion.visitID === visitID ? companion.visit : null;
  const story = useMemo(
    () => (view && visitID ? storyFromCapture(view.records, view.deliveries, { tabId, visitID, visitorState: fromCompanion?.visitorState, endedAt: fromCompanion?.endDate || undefined }) : null),
    [view?.records, view?.deliveries, visitID, fromCompanion?.visitorState, fromCompanion?.endDate],
  );
  // The selected moment as the story has it now (its delivery may have moved since the click).
  const moment = story?.moments.find((m) => m.key === selected?.key);

  if (tabId < 0) return <p class="empty">No tab to show: open this page from the Visitor Lab popup, or as the DevTools panel of a tab.</p>;
  if (!view) return <p class="muted">Loading…</p>;
  const current = view.ids?.visitID === visitID;
  const state: VisitorState = fromCompanion?.visitorState ?? (current ? view.localState : null) ?? 'Anonymous';
  return (
    <main id="visitor-lab-panel" data-tab-id={tabId}>
      <header class="panel-top">
        <h1>Visitor Lab</h1>
        <span class="muted" id="panel-url">
          tab {tabId}
          {view.url ? `: ${view.url}` : ''}
        </span>
        {visitID ? <StateBadge state={state} source={fromCompanion ? 'companion' : 'local'} /> : null}
      </header>
      <CompanionStatus status={view.companion} waiting={view.waiting} />
      {companion?.error && !view.companion.auth ? <p class="muted">History API: {companion.error}</p> : null}
      <div class="row panel-tools">
        {visits.length > 1 ? (
          <label>
            Visit{' '}
            <select id="panel-visit" value={visitID} onChange={(e) => setChosenVisit((e.target as HTMLSelectElement).value)}>
              {visits.map((v, i) => (
                <option key={v} value={v}>
                  {i + 1}. {v}
                  {v === view.ids?.visitID ? ' (current)' : ''}
                </option>
              ))}
            </select>
          </label>
        ) : visitID ? (
          <span class="muted">
            visitID <code id="panel-visit-id">{visitID}</code>
          </span>
        ) : null}
        <ExportButtons tabId={tabId} />
      </div>
      {!story ? (
        <p id="empty" class="empty">
          Nothing captured on this tab yet. Load a tracked page in it (localhost and 127.0.0.1 are tracked out of the box).
        </p>
      ) : (
        <div class="panel-body">
          <div class="panel-picture" id="picture" data-moments={story.moments.length}>
            {/* The picture's own filter box is the panel's filter (it filters the list too). */}
            <VisitTimeline story={story} filter={filter} onFilterChange={setFilter} selectedKey={selected?.key} onSelect={(_key, mark) => setSelected(mark)} now={pictureNow(story, Date.now())} />
          </div>
          <div id="inspector" class="inspector" data-key={moment?.key ?? ''}>
            <MomentInspector moment={moment} before={moment && selected?.stateBefore} after={moment && selected?.stateAfter} />
          </div>
        </div>
      )}
      <section class="panel-records" aria-label="Records">
        <h2>Records</h2>
        <Timeline
          records={view.records}
          total={view.total}
          deliveries={view.deliveries}
          pageID={view.ids?.pageID}
          filter={filter}
          onFilter={setFilter}
          filterBox={!story}
          limit={rows}
          onMore={() => setRows((n) => n + TIMELINE_MORE)}
        />
      </section>
    </main>
  );
}
