// `/visits/{visitId}`: the visit's story as a picture, the inspector beside it, and its events.
import { useState } from 'preact/hooks';
import { ExportImport } from '../Transfer/ExportImport';
import { useChanges } from '../shared/live';
import { navigate, visitHref } from '../shared/router';
import { Problem } from '../shared/Problem';
import { useLoad } from '../shared/useLoad';
import { EventsTable } from './EventsTable';
import { loadVisit } from './load';
import { VisitHeader } from './VisitHeader';
import { VisitPicture } from './VisitPicture';

export function VisitPage({ visitId }: { visitId: string }) {
  const seq = useChanges(visitId);
  const loaded = useLoad(visitId, (signal) => loadVisit(visitId, signal), seq);
  // The selected event is in the address (?event=ID), so a link can point at one moment.
  const [selected, setSelectedState] = useState<string | null>(() => new URLSearchParams(location.search).get('event'));
  const setSelected = (key: string | null) => {
    setSelectedState(key);
    navigate(key ? `${visitHref(visitId)}?event=${encodeURIComponent(key)}` : visitHref(visitId), true);
  };
  const data = loaded.data;
  return (
    <section aria-labelledby="visit-title" class="visit-page">
      <div class="title-row">
        <h1 id="visit-title">
          Visit <span class="mono">{visitId}</span>
        </h1>
        <ExportImport scope={{ visitId }} />
      </div>
      {loaded.error && <Problem error={loaded.error} what="this visit" />}
      {!data && !loaded.error && <p role="status">Loading the visit…</p>}
      {data && (
        <>
          <VisitHeader visit={data.visit} pageCount={data.pages.length} eventCount={data.events.length} />
          <VisitPicture data={data} selected={selected} onSelect={setSelected} />
          <EventsTable events={data.events} pages={data.pages} selected={selected} onSelect={setSelected} />
        </>
      )}
    </section>
  );
}
