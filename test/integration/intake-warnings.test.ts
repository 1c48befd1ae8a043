// "As strict as GWE, no stricter" over real HTTP (contract section 1, docs/api.md "What intake
// stores"): what GWE's server would store is stored; what it cannot use for identification
// comes back as a warning in the intake answer, never as a rejection.
import { describe, expect, it } from 'vitest';
import { storedEvents } from '../helpers/lab';
import { useCompanion } from '../helpers/use-companion';
import { ev, pageEntered, signIn, visitCtx, visitStarted } from '../helpers/events';

const lab = useCompanion();

describe('POST /server/events: stored with a warning', () => {
  it('a UserInfo with only an email, a SignIn with no identifier, a SYSTEM name GWE does not know', async () => {
    const c = visitCtx('warn-visit');
    const userInfo = ev(c, 'UserInfo', { pageID: 'p1', data: { email: 'ann@shop.test' } });
    const emptySignIn = signIn(c, { firstName: 'Ann' });
    const unknown = ev(c, 'PageScrolled', { eventType: 'SYSTEM', pageID: 'p1', data: { depth: 3 } });
    const res = await lab.http.post('/server/events', [visitStarted(c), pageEntered(c, 'p1'), userInfo, emptySignIn, unknown]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ accepted: 5, duplicate: 0, rejected: 0 });
    const warned = res.body.results.map((r: any) => [r.status, r.warnings?.map((w: any) => w.field) ?? []]);
    expect(warned).toEqual([
      ['accepted', []],
      ['accepted', []],
      ['accepted', ['data.userId']],
      ['accepted', ['data.userId']],
      ['accepted', ['eventName']],
    ]);
    expect(res.body.results[2].warnings[0].reason).toMatch(/UserInfo without data\.userId.*identifies no one.*data\.email/);
    expect(res.body.results[3].warnings[0].reason).toMatch(/SignIn without data\.userId or data\.email/);
    expect(res.body.results[4].warnings[0].reason).toMatch(/"PageScrolled" is not one of GWE's SYSTEM events/);
    // Stored, served, and they identified no one.
    const names = (await storedEvents(lab.http, 'warn-visit')).map((e) => e.eventName);
    expect(names).toEqual(['VisitStarted', 'PageEntered', 'UserInfo', 'SignIn', 'PageScrolled']);
    const visit = (await lab.http.get('/server/data/visits/warn-visit')).body;
    expect(visit.visitorState).toBe('Anonymous');
    expect(visit.identityIds).toEqual([]);
    expect((await lab.http.get('/server/data/identities')).status).toBe(204);
  });

  it('an event carrying sessionId rather than sessionID is stored under sessionID', async () => {
    const c = visitCtx('warn-session');
    const sign = signIn(c, { userId: 'ann' });
    const { sessionID: _s, ...rest } = ev(c, 'AddToCart', { pageID: 'p1' });
    const res = await lab.http.post('/server/events', [visitStarted(c), pageEntered(c, 'p1'), sign, { ...rest, sessionId: 's-from-gwe' }]);
    expect(res.body).toMatchObject({ accepted: 4, rejected: 0 });
    const stored = (await storedEvents(lab.http, 'warn-session')).at(-1);
    expect(stored.sessionID).toBe('s-from-gwe');
    expect(stored).not.toHaveProperty('sessionId');
  });

  it('VisitStarted\'s timezoneOffset is stored and served', async () => {
    const c = visitCtx('warn-tz');
    const res = await lab.http.post('/server/events', [{ ...visitStarted(c), timezoneOffset: -60 }]);
    expect(res.body.accepted).toBe(1);
    expect((await storedEvents(lab.http, 'warn-tz'))[0].timezoneOffset).toBe(-60);
    const bad = await lab.http.post('/server/events', [{ ...visitStarted(visitCtx('warn-tz2')), timezoneOffset: 'CET' }]);
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('timezoneOffset');
  });
});
