// @vitest-environment happy-dom
// The web app's runs pages with the companion's answers stood in for (the real companion and
// browser are in test/e2e/runs-popup.test.ts): what they say in words, paging, export, forget.
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunResource, RunSummary } from '../../../protocol/runs';
import { RunList } from '../../../companion/web/Runs/RunList';
import { RunPage } from '../../../companion/web/Runs/RunPage';
import { capturesWords } from '../../../companion/web/Runs/run-words';
import { routeOf } from '../../../companion/web/shared/router';
import { all, click, mount } from '../ui/render';

const T = new Date(2026, 10, 30, 2, 0, 0).getTime();
const summary = (n: number, over: Partial<RunSummary> = {}): RunSummary => ({ runId: `run-${n}`, name: `run ${n}`, startedAt: T + n * 1000, stoppedAt: null, active: false, ...over });
const resource = (s: RunSummary, over: Partial<RunResource> = {}): RunResource => ({
  ...s,
  counts: { visits: 1, events: 5, rejected: 0, duplicates: 0 },
  visitIds: ['v-1'],
  problems: [],
  checks: [],
  ...over,
});

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
  vi.unstubAllGlobals();
});

/** Answers by path: a function of the URL and init, or a body (200) / [status, body]. */
function stubFetch(answer: (url: URL, init?: RequestInit) => Response) {
  const calls: Array<{ url: string; method: string }> = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: string, init?: RequestInit) => {
      const url = new URL(input, 'http://companion.test');
      calls.push({ url: url.pathname + url.search, method: init?.method ?? 'GET' });
      return answer(url, init);
    }),
  );
  return calls;
}
const changes = () => Response.json({ seq: 1, visits: 1 });
const settle = () => act(() => new Promise((r) => setTimeout(r, 10)));

describe('routes', () => {
  it('/runs and /runs/{runId} are pages of the app', () => {
    expect(routeOf('/runs', '')).toEqual({ page: 'runs' });
    expect(routeOf('/runs/run-a%2Db', '')).toEqual({ page: 'run', runId: 'run-a-b' });
  });
});

describe('RunList', () => {
  it('lists the runs newest first with state, counts and the last check in words', async () => {
    const running = summary(2, { active: true });
    const stopped = summary(1, { stoppedAt: T + 60_000 });
    stubFetch((url) => {
      if (url.pathname === '/lab/changes') return changes();
      if (url.pathname === '/lab/runs') return Response.json([running, stopped]);
      if (url.pathname === '/lab/runs/run-2') return Response.json(resource(running));
      return Response.json(
        resource(stopped, {
          counts: { visits: 2, events: 9, rejected: 1, duplicates: 2 },
          checks: [
            { checkedAt: T, spec: 'first', passed: true, summary: { passed: 1, failed: 0 } },
            { checkedAt: T + 1, spec: 'checkout', passed: false, summary: { passed: 2, failed: 1 } },
          ],
        }),
      );
    });
    const m = mount(<RunList />);
    cleanup = m.unmount;
    await settle();
    const rows = all(m.root, 'tbody tr').map((tr) => all(tr, 'th, td').map((c) => c.textContent));
    expect(rows).toEqual([
      ['run 2run-2', expect.any(String), "● running (the companion's active run)", '1', '5', '0', '0', 'not checked'],
      ['run 1run-1', expect.any(String), expect.stringMatching(/^■ stopped 2026-11-30 02:01:/), '2', '9', '1', '2', '✗ failed: checkout (1 failed, 2 passed)'],
    ]);
    expect(m.root.querySelector<HTMLAnchorElement>('tbody a')!.getAttribute('href')).toBe('/runs/run-2');
    expect(m.root.querySelector('[role=status]')!.textContent).toBe('2 runs on this page, newest first (live).');
  });

  it('pages with Paging-Next: Older asks for the next page by its key', async () => {
    const calls = stubFetch((url) => {
      if (url.pathname === '/lab/changes') return changes();
      if (url.pathname === '/lab/runs') {
        const older = url.searchParams.get('page_key') === 'KEY';
        return Response.json([summary(older ? 1 : 2)], { headers: older ? {} : { 'Paging-Next': 'KEY' } });
      }
      return Response.json(resource(summary(Number(url.pathname.split('-').at(-1)))));
    });
    const m = mount(<RunList />);
    cleanup = m.unmount;
    await settle();
    const older = all<HTMLButtonElement>(m.root, '.pager button').find((b) => b.textContent === 'Older')!;
    expect(older.disabled).toBe(false);
    click(older);
    await settle();
    expect(calls.map((c) => c.url)).toContain('/lab/runs?page_size=20&page_key=KEY');
    expect(all(m.root, 'tbody tr').map((tr) => tr.getAttribute('data-run-id'))).toEqual(['run-1']);
    expect(older.disabled).toBe(true);
  });

  it('says when there are none', async () => {
    stubFetch((url) => (url.pathname === '/lab/changes' ? changes() : Response.json([])));
    const m = mount(<RunList />);
    cleanup = m.unmount;
    await settle();
    expect(m.root.querySelector('[role=status]')!.textContent).toBe('No runs yet.');
  });
});

describe('RunPage', () => {
  const run = resource(summary(7, { name: 'checkout, Chrome', stoppedAt: T + 90_000 }), {
    counts: { visits: 2, events: 12, rejected: 1, duplicates: 1 },
    captures: { captured: 14, undelivered: 1 },
    visitIds: ['v-1', 'v 2'],
    problems: [
      { kind: 'rejected', eventID: 'e1', eventName: 'SignIn', visitId: 'v-1', reason: 'timestamp: must be a number' },
      { kind: 'duplicate', eventID: 'e2', eventName: 'PageEntered', visitId: 'v-1', reason: 'the same event again' },
    ] as RunResource['problems'],
    checks: [
      { checkedAt: T, spec: 'sign-in', passed: false, summary: { passed: 0, failed: 1 } },
      { checkedAt: T + 5000, spec: 'sign-in', passed: true, summary: { passed: 1, failed: 0 } },
    ],
  });

  it('shows counts, visits as links, problems with reasons, checks newest first in words, and the export links', async () => {
    stubFetch((url) => (url.pathname === '/lab/changes' ? changes() : Response.json(run)));
    const m = mount(<RunPage runId="run-7" />);
    cleanup = m.unmount;
    await settle();
    expect(m.root.querySelector('h1')!.textContent).toBe('Run “checkout, Chrome”');
    expect(m.root.querySelector('#run-counts')!.textContent).toBe('12 events in 2 visits, 1 rejected, 1 duplicate');
    expect(m.root.querySelector('#run-captures')!.textContent).toBe('14 captured, 1 not stored yet');
    expect(m.root.querySelector('#run-state')!.textContent).toMatch(/^stopped 2026-11-30 02:01:/);
    expect(all<HTMLAnchorElement>(m.root, '#run-visits a').map((a) => a.getAttribute('href'))).toEqual(['/visits/v-1', '/visits/v%202']);
    expect(all(m.root, '#run-problems tbody tr').map((tr) => all(tr, 'td').map((td) => td.textContent))).toEqual([
      ['✗ rejected', 'SignIn e1', 'v-1', 'timestamp: must be a number'],
      ['= duplicate', 'PageEntered e2', 'v-1', 'the same event again'],
    ]);
    expect(all(m.root, '#run-checks li').map((li) => li.textContent!.replace(/ 2026.*/, ''))).toEqual(['✓ passed: sign-in (1 passed)', '✗ failed: sign-in (1 failed, 0 passed)']);
    const exports = all<HTMLAnchorElement>(m.root, '[aria-label="Export this run"] a');
    expect(exports.map((a) => [a.getAttribute('href'), a.getAttribute('aria-label')])).toEqual([
      ['/lab/export?run=run-7&format=json', 'Export this run as JSON (lossless, re-importable)'],
      ['/lab/export?run=run-7&format=har', 'Export this run as HAR (opens in DevTools’ Network panel)'],
      ['/lab/export?run=run-7&format=csv', 'Export this run as CSV (one row per event)'],
    ]);
  });

  it('forgets the run only after the confirmation, then says it was forgotten', async () => {
    const calls = stubFetch((url, init) => {
      if (url.pathname === '/lab/changes') return changes();
      if (url.pathname === '/lab/reset') return Response.json({ status: 'reset', run: 'run-7' });
      void init;
      return Response.json(run);
    });
    const m = mount(<RunPage runId="run-7" />);
    cleanup = m.unmount;
    await settle();
    click(m.root.querySelector('#forget-run')!);
    await settle();
    expect(m.root.querySelector('#forget-question')!.textContent).toContain('Its 2 visits go whole');
    expect(document.activeElement?.id).toBe('forget-yes');
    click(m.root.querySelector('#forget-no')!);
    await settle();
    expect(document.activeElement?.id).toBe('forget-run');
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
    click(m.root.querySelector('#forget-run')!);
    await settle();
    click(m.root.querySelector('#forget-yes')!);
    await settle();
    expect(calls.filter((c) => c.method === 'POST')).toEqual([{ url: '/lab/reset?run=run-7', method: 'POST' }]);
    expect(m.root.querySelector('[role=status]')!.textContent).toContain('Run “checkout, Chrome” (run-7) and its 2 visits were forgotten.');
  });

  it('a refused forget is said as an alert, and the run stays', async () => {
    stubFetch((url) => {
      if (url.pathname === '/lab/changes') return changes();
      if (url.pathname === '/lab/reset') return Response.json({ error: 'storage_failure', message: 'the disk is full' }, { status: 503 });
      return Response.json(run);
    });
    const m = mount(<RunPage runId="run-7" />);
    cleanup = m.unmount;
    await settle();
    click(m.root.querySelector('#forget-run')!);
    await settle();
    click(m.root.querySelector('#forget-yes')!);
    await settle();
    expect(m.root.querySelector('#forget-confirm [role=alert]')!.textContent).toBe('Not forgotten: 503: the disk is full');
    expect(m.root.querySelector('h1')!.textContent).toBe('Run “checkout, Chrome”');
  });

  it('an unknown run says so, with a way back', async () => {
    stubFetch((url) => (url.pathname === '/lab/changes' ? changes() : Response.json({ error: 'not_found', message: 'no run run-x', field: 'runId' }, { status: 404 })));
    const m = mount(<RunPage runId="run-x" />);
    cleanup = m.unmount;
    await settle();
    expect(m.root.querySelector('h1')!.textContent).toBe('No run run-x');
    expect(m.root.querySelector('a')!.getAttribute('href')).toBe('/runs');
  });
});

describe('a run\'s captures in words', () => {
  it('says all stored, how many are not stored yet, or that no extension reported', () => {
    expect(capturesWords({ captured: 40, undelivered: 0 })).toBe('40 captured, all stored');
    expect(capturesWords({ captured: 1200, undelivered: 3 })).toBe('1,200 captured, 3 not stored yet');
    expect(capturesWords(undefined)).toMatch(/^no report from an extension/);
  });
});
