// Ids may hold any character GWE would store, NUL and backslashes included (PostgreSQL text
// cannot hold NUL: its store escapes keys, and must keep "\0" and NUL apart). On both stores.
import { describe, expect, it } from 'vitest';
import { useCompanion } from '../helpers/use-companion';
import { ev, pageEntered, signIn, visitCtx, visitStarted } from '../helpers/events';

describe('ids with NUL and backslashes', () => {
  const lab = useCompanion();

  it('are stored and read back as sent, two ids differing only by NUL against "\\0" staying two', async () => {
    const nul = visitCtx('v\u0000x', 'g\u0000');
    const slash = visitCtx('v\\0x', 'g\\0');
    const events = [nul, slash].flatMap((c, i) => [
      visitStarted(c, { eventID: `e${i}\u0000\\`, pageID: 'p\u00001' }),
      pageEntered(c, 'p\u00001'),
      ev(c, 'Viewed', { eventID: `e${i}\\0`, pageID: 'p\u00001' }),
    ]);
    events.push(signIn(nul, { userId: 'u\u0000\\' }, 'p\u00001'));
    expect((await lab.http.post('/server/events', events)).body).toMatchObject({ accepted: 7, rejected: 0 });

    for (const [c, i] of [[nul, 0], [slash, 1]] as const) {
      const v = await lab.http.get(`/server/data/visits/${encodeURIComponent(c.visitID)}?include_events=true&include_pages=true`);
      expect(v.status).toBe(200);
      expect(v.body).toMatchObject({ visitId: c.visitID, globalVisitID: c.globalVisitID });
      expect(v.body.eventIds.slice(0, 3)).toEqual([`e${i}\u0000\\`, events[3 * i + 1].eventID, `e${i}\\0`]);
      expect(v.body.pageIds).toEqual([`${encodeURIComponent(c.visitID)}:${encodeURIComponent('p\u00001')}`]);
      const page = await lab.http.get(`/server/data/pages/${encodeURIComponent(v.body.pageIds[0])}/events?page_size=2`);
      expect(page.body.map((e: { eventID: string }) => e.eventID)).toEqual(v.body.eventIds.slice(0, 2));
    }
    const identity = await lab.http.get(`/server/data/identities/${encodeURIComponent('u\u0000\\')}?include_visits=true`);
    expect(identity.body[0]).toMatchObject({ identityId: 'u\u0000\\', visitIds: [nul.visitID] });
    const all = await lab.http.get('/server/data/visits');
    expect(all.body.map((x: { visitId: string }) => x.visitId)).toEqual([nul.visitID, slash.visitID]);
  });
});
