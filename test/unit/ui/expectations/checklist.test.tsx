// @vitest-environment happy-dom
// The checklist of a check report: statuses in a symbol and a word (met / not yet / failed),
// met steps ticked and the first unmet one marked with the report's message, lists with
// accessible names, the visit link the host makes, "failed" only when it cannot mend or is final.
import { afterEach, describe, expect, it } from 'vitest';
import { checkSpec, parseSpec, type CheckInput, type Spec } from '../../../../protocol/expectations';
import { Checklist } from '../../../../ui/expectations';
import { all, mount } from '../render';

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

const SPEC = parseSpec({
  name: 'sign-in',
  visits: [{ name: 'signs in', steps: [{ event: 'VisitStarted' }, { event: 'PageEntered', url: '/login' }, { event: 'SignIn' }, { state: 'Authenticated' }] }],
  identities: [{ identityId: 'pat@example.com' }],
  noRejected: true,
}) as { ok: true; spec: Spec };

const ev = (eventName: string, url: string, visitorState: 'Anonymous' | 'Authenticated', i: number) => ({
  eventType: 'SYSTEM' as const, eventName, eventID: `e${i}`, timestamp: 1000 + i, globalVisitID: 'g', visitID: 'v1', url, serverTimestamp: 1000 + i, browserPageID: 'p', visitorState,
});

function show(input: CheckInput, final = false, compact = false) {
  const report = checkSpec(SPEC.spec, input);
  const m = mount(<Checklist spec={SPEC.spec} report={report} final={final} compact={compact} visitLink={(id) => <a href={`/visits/${id}`}>{id}</a>} />);
  cleanup = m.unmount;
  return m.root;
}

const halfway: CheckInput = { visits: [{ visitId: 'v1', events: [ev('VisitStarted', 'http://shop/', 'Anonymous', 0), ev('PageEntered', 'http://shop/login', 'Anonymous', 1)] }], identities: [], captures: [] };
const done: CheckInput = {
  visits: [{ visitId: 'v1', events: [...halfway.visits[0].events, { ...ev('SignIn', 'http://shop/login', 'Authenticated', 2), eventType: 'SYSTEM' }] }],
  identities: [{ identityId: 'pat@example.com', visitScope: 'Authenticated', visitIds: ['v1'] }],
  captures: [],
};
const words = (root: HTMLElement, sel: string) => all(root, sel).map((el) => el.querySelector('.vl-check-status')!.textContent!.replace(/\s+/g, ' ').trim());

describe('Checklist', () => {
  it('ticks met steps and marks the first unmet one "not yet", with the report\'s message and the events found around it', () => {
    const root = show(halfway);
    expect(words(root, '.vl-check-step')).toEqual(['✓ met', '✓ met', '… not yet', '· not yet']);
    const current = all(root, '[aria-current="step"]');
    expect(current).toHaveLength(1);
    expect(current[0].textContent).toContain("{event: 'SignIn'}");
    expect(current[0].querySelector('.vl-check-message')!.textContent).toMatch(/step 3/);
    expect(all(current[0], '.vl-check-found li').map((li) => li.textContent)).toContain('PageEntered /login (Anonymous)');
    expect(root.querySelector('[role="status"]')!.textContent).toContain('Not yet: 1 of 3 met');
    // A person still browsing has not failed: the unmet identity is "not yet" as well.
    expect(words(root, '.vl-check-item').map((w) => w)).toEqual(['… not yet', '… not yet', '✓ met']);
  });

  it('says met for everything when the report passed, with the visit that met it linked by the host', () => {
    const root = show(done);
    expect(words(root, '.vl-check-item')).toEqual(['✓ met', '✓ met', '✓ met']);
    expect(root.querySelector('[role="status"]')!.textContent).toContain('Passed: 3 of 3 met');
    expect(root.querySelector<HTMLAnchorElement>('.vl-check-visit a')!.getAttribute('href')).toBe('/visits/v1');
    expect(all(root, '[aria-current="step"]')).toHaveLength(0);
  });

  it('says failed when final, and for a rejection at once (browsing on cannot mend it)', () => {
    expect(words(show(halfway, true), '.vl-check-item')).toEqual(['✗ failed', '✗ failed', '✓ met']);
    cleanup!();
    const root = show({ ...halfway, captures: [{ kind: 'rejected', eventName: 'SignIn', reason: 'bad' }] });
    expect(words(root, '.vl-check-item')).toEqual(['… not yet', '… not yet', '✗ failed']);
    expect(root.querySelector('[data-place="noRejected"] .vl-check-message')!.textContent).toContain('1 rejected');
  });

  it('names its lists and never tells a status by colour alone (symbol hidden, word read)', () => {
    const root = show(halfway);
    expect(root.querySelector('section')!.getAttribute('aria-label')).toBe('Spec sign-in');
    expect(all(root, 'ol').map((ol) => ol.getAttribute('aria-label'))).toEqual(['Expectations of sign-in', 'Steps of signs in']);
    for (const s of all(root, '.vl-check-status')) {
      expect(s.querySelector('.vl-check-symbol')!.getAttribute('aria-hidden')).toBe('true');
      expect(s.textContent).toMatch(/met|not yet|failed/);
    }
  });

  it('folds the message into a keyboard-reachable "Why" in compact mode', () => {
    const root = show(halfway, false, true);
    expect(root.querySelector('section')!.className).toContain('vl-check-compact');
    const details = root.querySelector('[aria-current="step"] details')!;
    expect(details.querySelector('summary')!.textContent).toBe('Why');
    expect(details.querySelector('.vl-check-message')).not.toBeNull();
  });
});
