// `/identities/{identityId}`: the person, their profile, and all their visits on one axis.
import { useMemo } from 'preact/hooks';
import type { IdentityResource } from '../../../protocol/resources';
import { identityStories, IdentityTimeline } from '../../../ui/timeline';
import { navigate, visitHref } from '../shared/router';
import { ExportImport } from '../Transfer/ExportImport';
import { useChanges } from '../shared/live';
import { Problem } from '../shared/Problem';
import { useLoad } from '../shared/useLoad';
import { IdentityJourney } from './IdentityJourney';
import { loadIdentity, type IdentityData } from './load';

/** All the identity's visits on one time axis; choosing a segment opens its visit. */
function Journey({ data }: { data: IdentityData }) {
  const stories = useMemo(() => identityStories(null, data.events, data.pages, data.visits), [data]);
  return (
    <section aria-labelledby="axis-title">
      <h2 id="axis-title">Visits on one time axis</h2>
      <div class="picture" data-testid="identity-picture">
        <IdentityTimeline stories={stories} label={`Visits of ${data.identity.identityId}`} onSelect={(visitId) => navigate(visitHref(visitId))} />
      </div>
    </section>
  );
}

function Profile({ identity }: { identity: IdentityResource }) {
  const entries = Object.entries(identity.profile ?? {});
  return (
    <section aria-labelledby="profile-title">
      <h2 id="profile-title">Profile</h2>
      <dl class="facts">
        <div>
          <dt>Name</dt>
          <dd>{identity.name || 'unknown'}</dd>
        </div>
        <div>
          <dt>Scope</dt>
          <dd>{identity.visitScope}</dd>
        </div>
        <div>
          <dt>Contact (entityInCS)</dt>
          <dd class="mono">{identity.entityInCS ?? 'none'}</dd>
        </div>
        <div>
          <dt>Location</dt>
          <dd>{identity.location ?? 'unknown'}</dd>
        </div>
      </dl>
      {entries.length > 0 && (
        <table class="profile">
          <caption>Profile data (from SignIn and UserInfo, newest value winning)</caption>
          <tbody>
            {entries.map(([k, v]) => (
              <tr key={k}>
                <th scope="row">{k}</th>
                <td class="mono">{typeof v === 'string' ? v : JSON.stringify(v)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function IdentityPage({ identityId }: { identityId: string }) {
  const seq = useChanges();
  const loaded = useLoad(identityId, (signal) => loadIdentity(identityId, signal), seq);
  const data = loaded.data;
  return (
    <section aria-labelledby="identity-title">
      <div class="title-row">
        <h1 id="identity-title">
          Identity <span class="mono">{identityId}</span>
        </h1>
        <ExportImport scope={{ identityId }} />
      </div>
      {loaded.error && <Problem error={loaded.error} what="this identity" />}
      {!data && !loaded.error && <p role="status">Loading the identity…</p>}
      {data && (
        <>
          <Profile identity={data.identity} />
          <Journey data={data} />
          <IdentityJourney visits={data.visits} events={data.events} />
        </>
      )}
    </section>
  );
}
