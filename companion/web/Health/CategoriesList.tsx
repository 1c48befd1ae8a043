// The categories the companion labels events with (GET /lab/categories), on the health page:
// what a tester checks when an event's categories are not what they expected.
import type { Category, CategoryTag } from '../../categories/definitions';
import { getJson } from '../shared/api';
import { Problem } from '../shared/Problem';
import { useLoad } from '../shared/useLoad';

/** A tag as words: its kind is written out, not only styled. */
function Tag({ tag }: { tag: CategoryTag }) {
  const [kind, value, cs] =
    typeof tag === 'string' ? ['text', tag, false] : 'text' in tag ? ['text', tag.text, !!tag.caseSensitive] : ['regex', tag.regex, !!tag.caseSensitive];
  return (
    <li class="category-tag">
      <span class="muted">{kind} </span>
      <code>{kind === 'regex' ? `/${value}/` : value}</code>
      {cs ? <span class="muted"> (case-sensitive)</span> : null}
    </li>
  );
}

export function CategoriesList({ seq }: { seq: number }) {
  const loaded = useLoad('categories', (signal) => getJson<Category[]>('/lab/categories', signal).then((r) => r.body ?? []), seq);
  const list = loaded.data;
  return (
    <section aria-labelledby="categories-title">
      <h2 id="categories-title">Categories</h2>
      {loaded.error && <Problem error={loaded.error} what="the categories" />}
      {list && list.length === 0 && <p>
          None defined: events keep the category they were sent with. Define them with <code>--categories FILE</code> or <code>PUT /lab/categories</code>.
        </p>}
      {list && list.length > 0 && (
        <table class="categories-defined" data-testid="categories">
          <caption>Each new event gets the names whose tags are found in its URL or its page's title</caption>
          <thead>
            <tr>
              <th scope="col">Category</th>
              <th scope="col">Tags</th>
            </tr>
          </thead>
          <tbody>
            {list.map((c) => (
              <tr key={c.name}>
                <th scope="row">{c.name}</th>
                <td>
                  <ul class="category-tags">
                    {c.tags.map((t, i) => (
                      <Tag key={i} tag={t} />
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
