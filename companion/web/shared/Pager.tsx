// Newest / Newer / Older over a list read a page at a time (Paging-Next / page_key, newest
// first): `keys` is the trail of page keys that led to the page shown.
export function Pager({ label, keys, setKeys, next }: { label: string; keys: string[]; setKeys: (keys: string[]) => void; next: string | null }) {
  return (
    <nav class="pager" aria-label={label}>
      <button type="button" disabled={keys.length === 0} onClick={() => setKeys([])}>
        Newest
      </button>
      <button type="button" disabled={keys.length === 0} onClick={() => setKeys(keys.slice(0, -1))}>
        Newer
      </button>
      <button type="button" disabled={!next} onClick={() => next && setKeys([...keys, next])}>
        Older
      </button>
    </nav>
  );
}
