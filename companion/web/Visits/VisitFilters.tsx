// The visits list's filters: visitor state, identity, url. They live in the page's URL
// (/?visitorState=Authenticated&identityId=ann@shop.test), so a filtered list can be shared.
import { useEffect, useState } from 'preact/hooks';
import { navigate } from '../shared/router';

export interface VisitFilter {
  visitorState: string;
  identityId: string;
  url: string;
}

export const filterOf = (query: URLSearchParams): VisitFilter => ({
  visitorState: query.get('visitorState') ?? '',
  identityId: query.get('identityId') ?? '',
  url: query.get('url') ?? '',
});

/** The lab API's query for the filter (empty fields left out: the API refuses empty values). */
export function filterQuery(f: VisitFilter): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v.trim() !== '') p.set(k, v.trim());
  return p.toString();
}

export function VisitFilters({ filter }: { filter: VisitFilter }) {
  const [draft, setDraft] = useState(filter);
  useEffect(() => setDraft(filter), [filter.visitorState, filter.identityId, filter.url]);
  const apply = (f: VisitFilter) => {
    const qs = filterQuery(f);
    navigate(qs ? `/?${qs}` : '/');
  };
  const field = (name: keyof VisitFilter) => (e: Event) => setDraft({ ...draft, [name]: (e.target as HTMLInputElement).value });
  return (
    <form
      class="filters"
      role="search"
      aria-label="Filter visits"
      onSubmit={(e) => {
        e.preventDefault();
        apply(draft);
      }}
    >
      <label>
        Visitor state
        <select
          name="visitorState"
          value={draft.visitorState}
          onChange={(e) => {
            const next = { ...draft, visitorState: (e.target as HTMLSelectElement).value };
            setDraft(next);
            apply(next);
          }}
        >
          <option value="">any</option>
          <option>Anonymous</option>
          <option>Recognized</option>
          <option>Authenticated</option>
        </select>
      </label>
      <label>
        Identity
        <input name="identityId" type="search" value={draft.identityId} onInput={field('identityId')} placeholder="ann@shop.test" />
      </label>
      <label>
        URL contains
        <input name="url" type="search" value={draft.url} onInput={field('url')} placeholder="/cart" />
      </label>
      <button type="submit">Filter</button>
      {(filter.visitorState || filter.identityId || filter.url) && (
        <button type="button" onClick={() => apply({ visitorState: '', identityId: '', url: '' })}>
          Clear filters
        </button>
      )}
    </form>
  );
}
