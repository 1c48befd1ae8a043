// What POST /lab/check reads from the store (companion/server/lab-check.ts): visits in applied
// order, identities within the scope, a bound on the events read, and turns of the event loop
// while it reads.
import { describe, expect, it } from 'vitest';
import { emptyState } from '../../../companion/engine';
import { checkInputOf } from '../../../companion/server/lab-check';
import { HttpError } from '../../../companion/server/errors';
import { pageEntered, signIn, visitCtx, visitStarted } from '../../helpers/events';
import { apply } from '../engine/apply-helpers';

function story() {
  const state = emptyState();
  const a = visitCtx();
  const b = visitCtx();
  apply(state, [visitStarted(a), pageEntered(a, 'p1'), signIn(a, { email: 'Pat@Example.com' })]);
  apply(state, [visitStarted(b), pageEntered(b, 'p1')]);
  return { state, a, b };
}

describe('checkInputOf', () => {
  it('everything: every visit with its events in applied order, with the state after each; every identity', async () => {
    const { state, a, b } = story();
    const input = await checkInputOf(state, {});
    expect(input.visits.map((v) => v.visitId)).toEqual([a.visitID, b.visitID]);
    expect(input.visits[0].events.map((e) => [e.eventName, e.visitorState])).toEqual([['VisitStarted', 'Anonymous'], ['PageEntered', 'Anonymous'], ['SignIn', 'Authenticated']]);
    expect(input.identities).toEqual([{ identityId: 'pat@example.com', visitScope: 'Authenticated', visitIds: [a.visitID] }]);
    expect(input.captures).toBeUndefined();
  });

  it('a visit: only it, and only the identities that were in it', async () => {
    const { state, b } = story();
    const input = await checkInputOf(state, { visitId: b.visitID });
    expect(input.visits.map((v) => v.visitId)).toEqual([b.visitID]);
    expect(input.identities).toEqual([]);
  });

  it('refuses a scope past the bound with a 400 saying what to check instead', async () => {
    const { state, a } = story();
    const err = await checkInputOf(state, {}, 1, 4).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect(err).toMatchObject({ status: 400, field: 'run' });
    expect((err as Error).message).toContain('the scope holds 5 events, more than a check reads (4): check a run');
    expect((await checkInputOf(state, { visitId: a.visitID }, 1, 4)).visits).toHaveLength(1);
  });

  it('refuses a scope whose events times visit expectations pass the bound, saying so', async () => {
    const state = emptyState();
    const c = visitCtx();
    apply(state, [visitStarted(c), ...Array.from({ length: 40_000 }, (_, i) => pageEntered(c, `p${i}`))]);
    expect((await checkInputOf(state, {}, 99)).visits).toHaveLength(1); // 40,001 x 99 is within
    const err = await checkInputOf(state, { visitId: c.visitID }, 100).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 400, field: 'visitId' });
    expect((err as Error).message).toContain('the scope holds 40001 events and the spec 100 visit expectations');
  });

  it('gives the event loop turns while it reads a big scope', async () => {
    const state = emptyState();
    const c = visitCtx();
    apply(state, [visitStarted(c), ...Array.from({ length: 12_000 }, (_, i) => pageEntered(c, `p${i}`))]);
    let turns = 0;
    const tick = setInterval(() => turns++, 0);
    const input = await checkInputOf(state, {});
    clearInterval(tick);
    expect(input.visits[0].events).toHaveLength(12_001);
    expect(turns).toBeGreaterThan(0);
  });
});
