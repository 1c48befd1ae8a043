// `/contacts`: the contact directory (GET /lab/contacts), a page at a time.
import { useState } from 'preact/hooks';
import type { Contact } from '../../../protocol/resources';
import { getJson } from '../shared/api';
import { useChanges } from '../shared/live';
import { Problem } from '../shared/Problem';
import { useLoad } from '../shared/useLoad';

export function ContactsPage() {
  const [keys, setKeys] = useState<string[]>([]);
  const seq = useChanges();
  const key = keys.at(-1);
  const loaded = useLoad(key ?? '', (signal) => getJson<Contact[]>(`/lab/contacts?page_size=100${key ? `&page_key=${encodeURIComponent(key)}` : ''}`, signal), key ? null : seq);
  const contacts = loaded.data?.body ?? [];
  const next = loaded.data?.next ?? null;
  return (
    <section aria-labelledby="contacts-title">
      <h1 id="contacts-title">Contacts</h1>
      {loaded.error && <Problem error={loaded.error} what="the contacts" />}
      <p role="status" class="status">
        {loaded.data === null ? 'Loading contacts…' : contacts.length === 0 ? 'No contacts: a SignIn or UserInfo adds one, and so does --contacts FILE.' : `${contacts.length} contacts on this page, in the order they were stored.`}
      </p>
      {contacts.length > 0 && (
        <div class="table-wrap">
          <table>
            <caption class="sr-only">Contacts</caption>
            <thead>
              <tr>
                <th scope="col">contactId</th>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">userId</th>
                <th scope="col">Phone</th>
                <th scope="col">From</th>
              </tr>
            </thead>
            <tbody>
              {contacts.map((c) => (
                <tr key={c.contactId}>
                  <th scope="row" class="mono">
                    {c.contactId}
                  </th>
                  <td>{[c.firstName, c.lastName].filter(Boolean).join(' ')}</td>
                  <td>{c.email ?? ''}</td>
                  <td>{c.userId ?? ''}</td>
                  <td>{c.phone ?? ''}</td>
                  <td>{c.origin}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav class="pager" aria-label="Contact pages">
        <button type="button" disabled={keys.length === 0} onClick={() => setKeys(keys.slice(0, -1))}>
          Previous
        </button>
        <button type="button" disabled={!next} onClick={() => next && setKeys([...keys, next])}>
          Next
        </button>
      </nav>
    </section>
  );
}
