// `/health`: the companion's health and counts (GET /lab/health), and its categories, live.
import { getJson } from '../shared/api';
import { dateTime } from '../shared/format';
import { useChanges } from '../shared/live';
import { Problem } from '../shared/Problem';
import { useLoad } from '../shared/useLoad';
import { CategoriesList } from './CategoriesList';
import { keepsWords, type RetentionFacts } from './keeps';

interface Health {
  name: string;
  version: string;
  status: string;
  startedAt: number;
  uptimeSeconds: number;
  store: 'embedded' | 'postgres';
  dataDir?: string;
  database?: string;
  visitExpirationTime: number;
  retention?: RetentionFacts;
  counts: Record<string, number>;
}

export function HealthPage() {
  const seq = useChanges();
  const loaded = useLoad('health', (signal) => getJson<Health>('/lab/health', signal).then((r) => r.body!), seq);
  const h = loaded.data;
  return (
    <section aria-labelledby="health-title">
      <h1 id="health-title">Companion health</h1>
      {loaded.error && <Problem error={loaded.error} what="the companion's health" />}
      {!h && !loaded.error && <p role="status">Loading…</p>}
      {h && (
        <>
          <dl class="facts">
            <div>
              <dt>Status</dt>
              <dd data-testid="health-status">{h.status === 'ok' ? '✓ ok' : `✗ ${h.status}`}</dd>
            </div>
            <div>
              <dt>Version</dt>
              <dd>{h.version}</dd>
            </div>
            <div>
              <dt>Started</dt>
              <dd>{dateTime(h.startedAt)}</dd>
            </div>
            <div>
              <dt>Visit expiration</dt>
              <dd>{h.visitExpirationTime} s</dd>
            </div>
            <div class="wide">
              <dt>{h.store === 'postgres' ? 'Database (PostgreSQL)' : 'Data folder'}</dt>
              <dd class="mono" data-testid="health-where">{h.store === 'postgres' ? h.database : h.dataDir}</dd>
            </div>
            <div class="wide">
              <dt>Keeps</dt>
              <dd data-testid="health-keeps">{keepsWords(h.retention)}</dd>
            </div>
          </dl>
          <table class="counts">
            <caption>What the companion holds</caption>
            <tbody>
              {Object.entries(h.counts).map(([k, v]) => (
                <tr key={k}>
                  <th scope="row">{k}</th>
                  <td class="num">{v.toLocaleString('en')}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <CategoriesList seq={seq} />
        </>
      )}
    </section>
  );
}
