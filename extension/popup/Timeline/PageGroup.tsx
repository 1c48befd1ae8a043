import type { Delivery } from '../../shared/messages';
import type { PageGroup as Group } from '../model';
import { RecordRow } from './RecordRow';

export function PageGroup({ group, deliveries, current }: { group: Group; deliveries: Record<string, Delivery>; current: boolean }) {
  return (
    <section class={current ? 'page current' : 'page'} data-page-id={group.pageID}>
      <header>
        <strong>{group.title || '(no title)'}</strong> <span class="muted">{group.url}</span>
        {current ? <span class="badge">this page</span> : null}
      </header>
      <ol>
        {group.records.map((r) => (
          <RecordRow key={`${group.pageID}:${r.seq}`} record={r} deliveries={deliveries} />
        ))}
      </ol>
    </section>
  );
}
