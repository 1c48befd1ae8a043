// `/health`: the companion's health and counts (GET /lab/health), and its categories, live.
import { getJson } from '../shared/api';
import { dateTime } from '../shared/format';
import { useChanges } from '../shared/live';
import { Problem } from '../shared/Problem';
import { useLoad } from '../shared/useLoad';
import { CategoriesList } from './CategoriesList';

interface Health {
  name: string;
  version: string;
  status: string;
  startedAt: number;
  uptimeSeconds: number;
  dataDir: string;
  visitExpirationTime: number;
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
              <dt>Data folder</dt>
              <dd class="mono">{h.dataDir}</dd>
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
