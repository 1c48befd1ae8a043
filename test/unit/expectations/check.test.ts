// checkSpec: steps in order within one visit, a different visit per expectation, regex, count,
// state, identities, capture flags, and reports a person can act on.
import { describe, expect, it } from 'vitest';
import type { VisitorState } from '../../../protocol';
import { checkSpec, parseSpec, type CheckedVisit, type CheckInput, type Spec, type StepFailure } from '../../../protocol/expectations';
import { ISSUE_SPEC } from './issue-spec';

type E = CheckedVisit['events'][number];
let n = 0;
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

/** An event as stored, with the state after it. */
function e(eventName: string, visitorState: VisitorState, extra: Partial<E> = {}): E {
  n++;
  const system = ['VisitStarted', 'PageEntered', 'PageExited', 'SignIn', 'SignOut', 'UserInfo'].includes(eventName);
  return {
    eventType: system ? 'SYSTEM' : 'BUSINESS', eventName, eventID: `e${n}`, timestamp: T0 + n * 1000, serverTimestamp: T0 + n * 1000,
    globalVisitID: 'g', visitID: 'v', browserPageID: null, url: 'http://shop.test/', visitorState, ...extra,
  };
}
const page = (path: string, state: VisitorState = 'Anonymous', title = `Page ${path}`) => e('PageEntered', state, { url: `http://shop.test${path}`, data: { title, referrer: '' } });
const visit = (visitId: string, ...events: E[]): CheckedVisit => ({ visitId, events });

/** The issue's story: sign in, sign out, remembered by UserInfo. */
function rememberedSignIn(visitId: string, email = 'pat@example.com'): CheckedVisit {
  return visit(visitId,
    e('VisitStarted', 'Anonymous'), page('/login'),
    e('SignIn', 'Authenticated', { data: { email } }), page('/account', 'Authenticated'),
    e('SignOut', 'Anonymous'), e('UserInfo', 'Recognized', { data: { userId: email } }));
}

function spec(input: unknown): Spec {
  const r = parseSpec(input);
  if (!r.ok) throw new Error(`${r.problem.place}: ${r.problem.reason}`);
  return r.spec;
}
const input = (visits: CheckedVisit[], extra: Partial<CheckInput> = {}): CheckInput => ({ visits, identities: [], ...extra });
const steps = (...s: unknown[]) => spec({ visits: [{ steps: s }] });
const failureOf = (r: ReturnType<typeof checkSpec>, i = 0) => r.results[i].failure as StepFailure;

describe('checkSpec: visits', () => {
  it('passes the issue\'s example spec on the visit it describes, and says which visit met it', () => {
    const r = checkSpec(spec(ISSUE_SPEC), input([rememberedSignIn('V1')], {
      identities: [{ identityId: 'pat@example.com', visitScope: 'Recognized', visitIds: ['V1'] }],
    }), { run: 'R1' });
    expect(r.passed).toBe(true);
    expect(r.spec).toBe('remembered sign-in');
    expect(r.scope).toEqual({ run: 'R1', visits: 1 });
    expect(r.results[0]).toEqual({ place: 'visits[0]', name: 'visit 1', passed: true, visitId: 'V1', stepsMet: 7 });
    expect(r.summary).toEqual({ passed: 2, failed: 0 });
  });

  it('fails when SignIn stops being sent: the first unmet step, the closest visit, what came instead', () => {
    const v = visit('V9', e('VisitStarted', 'Anonymous'), page('/login'), page('/account'), e('UserInfo', 'Anonymous', { data: { userId: 'x' } }));
    const r = checkSpec(spec(ISSUE_SPEC), input([v]));
    expect(r.passed).toBe(false);
    const f = failureOf(r);
    expect(f.place).toBe('visits[0].steps[2]');
    expect(f.step).toEqual({ event: 'SignIn', data: { email: 'pat@example.com' } });
    expect(f.closestVisitId).toBe('V9');
    expect(f.stepsMet).toBe(2);
    expect(f.message).toBe("step 3 {event: 'SignIn', data: {email: 'pat@example.com'}}: the closest visit V9 met steps 1-2; after its PageEntered /login (Anonymous) came PageEntered /account (Anonymous), UserInfo (Anonymous); no SignIn");
    expect(f.found.map((x) => x.eventName)).toEqual(['PageEntered', 'PageEntered', 'UserInfo']);
    expect(f.found[0]).toMatchObject({ url: 'http://shop.test/login', visitorState: 'Anonymous' });
  });

  it('names a near miss: the right event whose field differs, with both values', () => {
    const r = checkSpec(spec(ISSUE_SPEC), input([rememberedSignIn('V2', 'pat@other.com')]));
    const f = failureOf(r);
    expect(f.place).toBe('visits[0].steps[2]');
    expect(f.message).toMatch(/a SignIn with data\.email 'pat@other\.com' \(not 'pat@example\.com'\) came at event 3 at 12:00:\d\d UTC/);
  });

  it('says when the event came, but before the steps ahead of it (order matters)', () => {
    const v = visit('V3', e('SignIn', 'Authenticated', { data: { email: 'a@b.c' } }), page('/login', 'Authenticated'));
    const f = failureOf(checkSpec(steps({ event: 'PageEntered', url: '/login' }, { event: 'SignIn' }), input([v])));
    expect(f.place).toBe('visits[0].steps[1]');
    expect(f.message).toContain('no SignIn; one came earlier (event 1');
  });

  it('matches url and title by a part, other fields and data exactly, data by the listed keys only', () => {
    const v = visit('V', page('/shop/cart?x=1', 'Anonymous', 'Your cart'), e('AddToCart', 'Anonymous', { data: { sku: 'S-1', qty: 2, extra: true, item: { a: 1, b: 2 }, tags: ['x', 'y'] } }));
    const ok = (s: unknown) => checkSpec(steps(s), input([v])).passed;
    expect(ok({ event: 'PageEntered', url: '/cart', title: 'cart' })).toBe(true);
    expect(ok({ event: 'PageEntered', url: '/basket' })).toBe(false);
    expect(ok({ event: 'PageEntered', eventType: 'SYSTEM' })).toBe(true);
    expect(ok({ event: 'PageEntered', eventType: 'SYS' })).toBe(false); // exact, not a part
    expect(ok({ event: 'AddToCart', data: { sku: 'S-1' } })).toBe(true);
    expect(ok({ event: 'AddToCart', data: { sku: 'S-' } })).toBe(false); // data is exact
    expect(ok({ event: 'AddToCart', data: { qty: '2' } })).toBe(false); // and typed
    expect(ok({ event: 'AddToCart', data: { item: { a: 1 } } })).toBe(true); // nested: listed keys only
    expect(ok({ event: 'AddToCart', data: { item: { c: 1 } } })).toBe(false);
    expect(ok({ event: 'AddToCart', data: { tags: ['x', 'y'] } })).toBe(true);
    expect(ok({ event: 'AddToCart', data: { tags: ['x'] } })).toBe(false); // arrays exactly
    expect(ok({ event: 'AddToCart', data: { missing: null } })).toBe(false); // absent is not null
  });

  it('takes {re} in place of any string; a non-string never matches a re', () => {
    const v = visit('V', page('/p/42'), e('AddToCart', 'Anonymous', { data: { sku: 'S-17', qty: 2 } }));
    const ok = (s: unknown) => checkSpec(steps(s), input([v])).passed;
    expect(ok({ event: { re: '^Page(Entered|Exited)$' }, url: { re: '/p/\\d+$' } })).toBe(true);
    expect(ok({ event: 'PageEntered', url: { re: '^/p/' } })).toBe(false); // a re is not anchored to the path
    expect(ok({ event: 'AddToCart', data: { sku: { re: '^S-\\d+$' } } })).toBe(true);
    expect(ok({ event: 'AddToCart', data: { qty: { re: '2' } } })).toBe(false);
    expect(ok({ event: { re: 'cart' } })).toBe(false); // case-sensitive
  });

  it('count: how many events of that name the visit has, wherever the step stands', () => {
    const v = visit('V', page('/a'), page('/b'), e('AddToCart', 'Anonymous'), page('/c'));
    const ok = (...s: unknown[]) => checkSpec(steps(...s), input([v])).passed;
    expect(ok({ event: 'AddToCart' }, { count: 3, event: 'PageEntered' })).toBe(true); // does not move the position
    expect(ok({ count: 0, event: 'SignIn' }, { event: 'PageEntered', url: '/a' })).toBe(true);
    expect(ok({ count: 3, event: { re: '^Page' } })).toBe(true);
    // A visit checked again as it grows (the popup ticks a spec off live) is counted again.
    v.events.push(page('/d'));
    expect(ok({ count: 4, event: 'PageEntered' })).toBe(true);
    v.events.pop();
    const f = failureOf(checkSpec(steps({ event: 'PageEntered' }, { count: 2, event: 'PageEntered' }), input([v])));
    expect(f.place).toBe('visits[0].steps[1]');
    expect(f.message).toContain('it has 3 PageEntered events, not 2');
  });

  it('state: the state right after the previous matched event step; taking a later event that has it', () => {
    // The first SignIn (no identifier) left the visit Anonymous; the second authenticated it.
    const v = visit('V', page('/login'), e('SignIn', 'Anonymous', { data: {} }), e('SignIn', 'Authenticated', { data: { userId: 'u' } }));
    expect(checkSpec(steps({ event: 'SignIn' }, { state: 'Authenticated' }), input([v])).passed).toBe(true);
    const w = visit('W', page('/login'), e('SignIn', 'Anonymous', { data: {} }));
    const f = failureOf(checkSpec(steps({ event: 'PageEntered' }, { event: 'SignIn' }, { state: 'Authenticated' }), input([w])));
    expect(f.place).toBe('visits[0].steps[2]');
    expect(f.stepsMet).toBe(2);
    expect(f.message).toMatch(/after its SignIn \(event 2 at 12:00:\d\d UTC\) the state was Anonymous, not Authenticated$/);
  });

  it('a state step first in a visit is the state after the visit\'s first event', () => {
    const v = visit('V', e('VisitStarted', 'Recognized'), page('/', 'Recognized'));
    expect(checkSpec(steps({ state: 'Recognized' }, { event: 'PageEntered' }), input([v])).passed).toBe(true);
    const f = failureOf(checkSpec(steps({ state: 'Anonymous' }), input([v])));
    expect(f.message).toContain('after its first event, VisitStarted (Recognized), the state was Recognized, not Anonymous');
  });

  it('each visit expectation needs a different visit, assigned so that as many as possible pass', () => {
    // Expectation 1 is met by both visits, expectation 2 only by A: a greedy first pick of A for 1 would fail 2.
    const a = visit('A', page('/home'), page('/cart'));
    const b = visit('B', page('/home'));
    const two = spec({ visits: [{ name: 'home', steps: [{ event: 'PageEntered', url: '/home' }] }, { name: 'cart', steps: [{ event: 'PageEntered', url: '/cart' }] }] });
    const r = checkSpec(two, input([a, b]));
    expect(r.passed).toBe(true);
    expect(r.results.map((x) => x.visitId)).toEqual(['B', 'A']);
    // One visit cannot meet two expectations.
    const only = checkSpec(two, input([a]));
    expect(only.passed).toBe(false);
    expect(only.results.map((x) => x.passed)).toEqual([true, false]); // the first in spec order keeps it
    expect((only.results[1].failure as { message: string }).message).toContain('every visit meeting its steps (A) is the visit of another expectation');
  });

  it('steps match within one visit, not across two', () => {
    const a = visit('A', page('/login'));
    const b = visit('B', e('SignIn', 'Authenticated', { data: { userId: 'u' } }));
    const f = failureOf(checkSpec(steps({ event: 'PageEntered' }, { event: 'SignIn' }), input([a, b])));
    expect(f.closestVisitId).toBe('A');
    expect(f.stepsMet).toBe(1);
    expect(f.message).toContain("no SignIn; visit B has one (event 1 at 12:00:");
    expect(f.message).toContain('all the steps of an expectation must be met in one visit');
  });

  it('reports the visit with most steps met as the closest, and an empty scope as such', () => {
    const r = checkSpec(spec(ISSUE_SPEC), input([visit('A', page('/x')), visit('B', e('VisitStarted', 'Anonymous'), page('/login'))]));
    expect(failureOf(r).closestVisitId).toBe('B');
    const empty = failureOf(checkSpec(spec(ISSUE_SPEC), input([])));
    expect(empty.place).toBe('visits[0].steps[0]');
    expect(empty.message).toContain('no visit in scope');
  });

  it('found: the last matched event and up to 5 after it', () => {
    const v = visit('V', page('/login'), ...Array.from({ length: 8 }, (_, i) => page(`/p${i}`)));
    const f = failureOf(checkSpec(steps({ event: 'PageEntered', url: '/login' }, { event: 'SignIn' }), input([v])));
    expect(f.found.map((x) => x.url)).toEqual(['/login', '/p0', '/p1', '/p2', '/p3', '/p4'].map((p) => `http://shop.test${p}`));
    expect(f.message).toContain('and 2 more; no SignIn');
  });

  it('is deterministic', () => {
    const data = input([rememberedSignIn('A', 'x@y.z'), rememberedSignIn('B', 'pat@other.com')]);
    expect(checkSpec(spec(ISSUE_SPEC), data)).toEqual(checkSpec(spec(ISSUE_SPEC), data));
  });

  it('stays quick over thousands of visits', () => {
    const many = Array.from({ length: 3000 }, (_, i) => rememberedSignIn(`V${i}`, `u${i}@x.y`));
    const two = spec({ visits: [ISSUE_SPEC.visits[0], ISSUE_SPEC.visits[0]] });
    const t = performance.now();
    const r = checkSpec(two, input(many));
    expect(performance.now() - t).toBeLessThan(2000);
    expect(r.results.every((x) => !x.passed)).toBe(true);
  });
});

describe('checkSpec: identities and captures', () => {
  const ids = [{ identityId: 'pat@example.com', visitScope: 'Recognized' as const, visitIds: ['V1', 'V2'] }];

  it('compares identity ids in the identity-id form (NFKC, trimmed, an email in lower case)', () => {
    const r = checkSpec(spec({ identities: [{ identityId: ' PAT@Example.com ', visitScope: 'Recognized', visits: 2 }] }), input([], { identities: ids }));
    expect(r.passed).toBe(true);
  });

  it.each([
    [{ identityId: 'sam@example.com' }, "not in scope (compared as 'sam@example.com'); identities seen: 'pat@example.com'"],
    [{ identityId: 'pat@example.com', visitScope: 'Authenticated' }, 'its visitScope is Recognized, not Authenticated'],
    [{ identityId: 'pat@example.com', visits: 1 }, 'it was in 2 visits in scope (V1, V2), not 1'],
  ])('fails %j, saying why', (x, message) => {
    const r = checkSpec(spec({ identities: [x] }), input([], { identities: ids }));
    expect(r.results[0]).toMatchObject({ place: 'identities[0]', passed: false });
    expect((r.results[0].failure as { message: string }).message).toContain(message);
  });

  it('says when no identity is in scope at all', () => {
    const r = checkSpec(spec({ identities: [{ identityId: 'a' }] }), input([]));
    expect((r.results[0].failure as { message: string }).message).toContain('no identity in scope');
  });

  it('noRejected, noUndelivered, noDuplicates against the captures', () => {
    const all = spec({ noRejected: true, noUndelivered: true, noDuplicates: true });
    expect(checkSpec(all, input([], { captures: [] })).passed).toBe(true);
    const r = checkSpec(all, input([], { captures: [{ kind: 'duplicate', eventName: 'SignIn', eventID: 'e7', visitId: 'V1' }, { kind: 'rejected', eventName: 'Bad', reason: 'eventName: too long' }] }));
    expect(r.results.map((x) => [x.place, x.passed])).toEqual([['noRejected', false], ['noUndelivered', true], ['noDuplicates', false]]);
    expect((r.results[0].failure as { message: string }).message).toBe('no rejected commands or events: 1 rejected: Bad (eventName: too long)');
    expect((r.results[2].failure as { message: string }).message).toBe('no duplicate events: 1 duplicate: SignIn e7 in visit V1');
  });

  it('fails a flag whose kind the captures do not cover (the companion knows no undelivered events)', () => {
    const r = checkSpec(spec({ noUndelivered: true, noDuplicates: true }), input([], { captures: [], capturesCover: ['rejected', 'duplicate'] }));
    expect(r.results.map((x) => [x.place, x.passed])).toEqual([['noUndelivered', false], ['noDuplicates', true]]);
    expect((r.results[0].failure as { message: string }).message).toContain('known to the extension');
  });

  it('fails a flag that cannot be known without captures, saying where it can be checked', () => {
    const r = checkSpec(spec({ noDuplicates: true, noRejected: false }), input([]));
    expect(r.passed).toBe(false);
    expect(r.results).toHaveLength(1);
    expect((r.results[0].failure as { message: string }).message).toContain('not known for this scope');
    expect((r.results[0].failure as { message: string }).message).toContain('check a run');
  });
});
