// `/identities/{identityId}`: the person, their profile, and all their visits on one axis.
import type { IdentityResource } from '../../../protocol/resources';
import { ExportImport } from '../Transfer/ExportImport';
import { useChanges } from '../shared/live';
import { Problem } from '../shared/Problem';
import { useLoad } from '../shared/useLoad';
import { IdentityJourney } from './IdentityJourney';
import { loadIdentity } from './load';

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
          <IdentityJourney visits={data.visits} events={data.events} />
        </>
      )}
    </section>
  );
}
