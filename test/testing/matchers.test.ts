// The matchers, given to Vitest's expect.extend as a suite would, against a real companion:
// they pass, fail with messages a person can act on, and wait for events still on their way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCompanion, visitorLabMatchers, type Companion, type VisitorLabMatchers } from '../../testing/index';
import { pageEntered, signIn, signOut, userInfo, visitCtx, visitStarted } from '../helpers/events';

expect.extend(visitorLabMatchers);
declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Assertion<T> extends VisitorLabMatchers<T> {}
}

let companion: Companion;
beforeAll(async () => {
  companion = await startCompanion();
});
afterAll(() => companion?.stop());

async function post(events: unknown[]): Promise<void> {
  await companion.http.json('POST', '/server/events', events);
}

async function signedIn(): Promise<string> {
  const ctx = visitCtx(`v-${Math.random().toString(36).slice(2)}`);
  await post([visitStarted(ctx), pageEntered(ctx, 'p1', 'http://shop.test/login', 'Sign in'), signIn(ctx, { email: 'pat@shop.test' }, 'p1')]);
  return ctx.visitID;
}

/** The message of a failed assertion. */
async function failure(assertion: Promise<unknown>): Promise<string> {
  const e = await assertion.then(
    () => null,
    (e: unknown) => e as Error,
  );
  expect(e, 'the assertion should have failed').not.toBeNull();
  return e!.message;
}

describe('toHaveVisitorState', () => {
  it('passes for the visit (and the companion\'s newest visit) in that state, and .not for another', async () => {
    const visitId = await signedIn();
    await expect({ companion, visitId }).toHaveVisitorState('Authenticated');
    await expect(companion).toHaveVisitorState('Authenticated');
    await expect({ companion, visitId }).not.toHaveVisitorState('Anonymous', { timeout: 0 });
  });

  it('fails saying what was expected, what the visit is, and its events', async () => {
    const visitId = await signedIn();
    const message = await failure(expect({ companion, visitId }).toHaveVisitorState('Recognized', { timeout: 200 }));
    expect(message).toContain(`expect(visit ${visitId}).toHaveVisitorState("Recognized")`);
    expect(message).toContain('Expected: Recognized');
    expect(message).toContain(`Received: Authenticated (newest visit ${visitId})`);
    expect(message).toMatch(/SignIn .*→ Authenticated/);
  });

  it('for a visit not there says so and what to check', async () => {
    const message = await failure(expect({ companion, visitId: 'never-sent' }).toHaveVisitorState('Authenticated', { timeout: 100 }));
    expect(message).toContain('Received: no visit');
    expect(message).toContain('the extension is loaded');
  });

  it('waits for the state to come, like a web-first assertion', async () => {
    const ctx = visitCtx(`v-late-${Date.now()}`);
    await post([visitStarted(ctx), pageEntered(ctx, 'p1')]);
    setTimeout(() => void post([signIn(ctx, { userId: 'late' }, 'p1')]), 400);
    await expect({ companion, visitId: ctx.visitID }).toHaveVisitorState('Authenticated');
  });
});

describe('toHaveEvents', () => {
  it('passes for an ordered subsequence of one visit, by eventName or by step', async () => {
    const visitId = await signedIn();
    await expect({ companion, visitId }).toHaveEvents(['VisitStarted', 'SignIn']);
    await expect({ companion, visitId }).toHaveEvents([{ event: 'PageEntered', url: '/login' }, { event: 'SignIn', data: { email: 'pat@shop.test' } }, { state: 'Authenticated' }]);
    await expect({ companion, visitId }).not.toHaveEvents(['SignIn', 'VisitStarted'], { timeout: 0 });
  });

  it('fails with the first unmet step, the closest visit and a diff of the names', async () => {
    const visitId = await signedIn();
    const message = await failure(expect({ companion, visitId }).toHaveEvents(['VisitStarted', 'SignIn', 'SignOut'], { timeout: 200 }));
    expect(message).toContain(`expect(visit ${visitId}).toHaveEvents(...)`);
    expect(message).toContain('✗ failed');
    expect(message).toContain('SignOut');
    expect(message).toContain(`closest visit: ${visitId} (2 steps met)`);
    // Vitest's diff: what was expected against the visit's names.
    expect(message).toMatch(/- Expected[\s\S]*\+ Received/);
    expect(message).toMatch(/-\s+"SignOut"/);
  });

  it('names a bad step by its place in the list', async () => {
    await expect(expect(companion).toHaveEvents(['VisitStarted', { event: 'SignIn', url: { re: '(' } }])).rejects.toThrow(/toHaveEvents: expected\[1\]\.url/);
  });

  it('waits for events still on their way', async () => {
    const ctx = visitCtx(`v-wait-${Date.now()}`);
    await post([visitStarted(ctx), pageEntered(ctx, 'p1'), signIn(ctx, { userId: 'kim' }, 'p1')]);
    setTimeout(() => void post([signOut(ctx, 'p1'), userInfo(ctx, 'kim', 'p1')]), 400);
    await expect({ companion, visitId: ctx.visitID }).toHaveEvents(['SignIn', 'SignOut', 'UserInfo', { state: 'Recognized' }]);
  });
});

describe('toSatisfySpec', () => {
  const spec = { name: 'signed in', visits: [{ steps: [{ event: 'SignIn', data: { email: 'pat@shop.test' } }, { state: 'Authenticated' as const }] }] };

  it('passes when POST /lab/check says the spec holds, for a visit or a run', async () => {
    const visitId = await signedIn();
    await expect({ companion, visitId }).toSatisfySpec(spec);
    const run = await companion.run('matchers, spec');
    const ctx = visitCtx(`v-run-${Date.now()}`);
    await companion.http.send('POST', '/server/events', [visitStarted(ctx), pageEntered(ctx, 'p1'), signIn(ctx, { email: 'pat@shop.test' }, 'p1')], { 'x-lab-run': run.runId });
    await expect(run).toSatisfySpec(spec);
    await run.stop();
  });

  it('fails with the report written out', async () => {
    const run = await companion.run('matchers, empty');
    const message = await failure(expect(run).toSatisfySpec(spec, { timeout: 200 }));
    expect(message).toContain(`expect(run ${run.runId} (matchers, empty)).toSatisfySpec("signed in")`);
    expect(message).toContain('✗ failed  signed in');
    expect(message).toContain(`run ${run.runId}, 0 visits`);
  });
});
