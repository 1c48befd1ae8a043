// The worker's one path to the companion, against a real companion started with --auth on a
// loopback port: what a 401 looks like with no credentials and with wrong ones, and that the
// saved credentials open the History API and go with intake.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompanionLink, basicAuthorization } from '../../../extension/worker/companion';
import { Courier } from '../../../extension/worker/delivery';
import { Outbox } from '../../../extension/worker/outbox';
import { settingsStore } from '../../../extension/worker/settings';
import { removeDir, testCompanion, type TestCompanion } from '../../helpers/companion';
import { pageEntered, visitCtx, visitStarted } from '../../helpers/events';
import { memoryArea } from './memory-area';

let companion: TestCompanion;
beforeAll(async () => {
  companion = await testCompanion({ auth: 'ann:s3cr€t' });
});
afterAll(async () => {
  await companion.close();
  removeDir(companion.dataDir);
});

async function linkWith(user: string, password: string) {
  const settings = settingsStore(memoryArea());
  Object.assign(await settings.get(), { companionUrl: companion.url, companionUser: user, companionPassword: password });
  return { settings, link: new CompanionLink(settings) };
}

describe('CompanionLink', () => {
  it('Basic credentials are UTF-8', () => {
    expect(basicAuthorization('ann', 's3cr€t')).toBe(`Basic ${Buffer.from('ann:s3cr€t', 'utf8').toString('base64')}`);
  });

  it('without credentials: reachable, but "the companion asks for credentials" for reads', async () => {
    const { link } = await linkWith('', '');
    expect(await link.health()).toEqual({ url: companion.url, reachable: true });
    expect(link.auth).toBe('missing');
    const visit = await link.visit('nope');
    expect(visit).toMatchObject({ visit: null, auth: 'missing', error: 'the companion asks for credentials' });
  });

  it('with wrong credentials: "refused"', async () => {
    const { link } = await linkWith('ann', 'wrong');
    await link.health();
    expect(link.auth).toBe('refused');
    expect(await link.visit('nope')).toMatchObject({ auth: 'refused', error: 'the companion refused the user and password' });
  });

  it('with the right ones: the visit from the History API, and delivery sends them too (duplicates told)', async () => {
    const { link } = await linkWith('ann', 's3cr€t');
    const ctx = visitCtx();
    const events = [visitStarted(ctx, { pageID: 'p1' }), pageEntered(ctx, 'p1')];
    const outbox = new Outbox(memoryArea());
    await outbox.add(events, 1);
    const states: string[] = [];
    const courier = new Courier({ outbox, endpoint: () => link.endpoint(), report: async (u) => void states.push(...u.map((x) => x.delivery.state)) });
    await courier.flush();
    expect(states.slice(-2)).toEqual(['accepted', 'accepted']);
    // Sent again: only a caller with credentials hears `duplicate` under --auth.
    await outbox.add(events, 1);
    await courier.flush();
    expect(states.slice(-2)).toEqual(['duplicate', 'duplicate']);

    await link.health();
    expect(link.auth).toBeNull();
    const read = await link.visit(ctx.visitID);
    expect(read.error).toBeUndefined();
    expect(read.visit).toMatchObject({ visitId: ctx.visitID, visitorState: 'Anonymous' });
    expect(read.identities).toEqual([]);
  });

  it('an unknown visit and a companion that is gone are said plainly', async () => {
    const { link, settings } = await linkWith('ann', 's3cr€t');
    expect((await link.visit('nope')).error).toBe('the companion has no such visit yet');
    (await settings.get()).companionUrl = 'http://127.0.0.1:9';
    expect((await link.health()).reachable).toBe(false);
    expect((await link.visit('nope')).error).toMatch(/^unreachable/);
  });
});

describe('Courier and a 401 from intake', () => {
  it('keeps the events waiting, with the reason, and sends the Authorization header', async () => {
    const outbox = new Outbox(memoryArea());
    const ctx = visitCtx();
    await outbox.add([visitStarted(ctx, { pageID: 'p1' })], 1);
    const seen: Array<string | undefined> = [];
    const reasons: Array<string | undefined> = [];
    const courier = new Courier({
      outbox,
      endpoint: async () => ({ url: 'http://companion.test', headers: { authorization: 'Basic eDp5' } }),
      report: async (u) => void reasons.push(...u.map((x) => x.delivery.reason)),
      fetch: (async (_u: string, init: RequestInit) => {
        seen.push((init.headers as Record<string, string>).authorization);
        return Response.json({ error: 'unauthorized' }, { status: 401 });
      }) as typeof fetch,
    });
    await courier.flush();
    expect(seen).toEqual(['Basic eDp5']);
    expect(reasons.at(-1)).toBe('HTTP 401: the companion refused the user and password');
    expect((await outbox.all()).map((i) => i.state)).toEqual(['queued']);
  });
});
