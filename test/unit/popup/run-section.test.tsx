// @vitest-environment happy-dom
// The popup's run section: what it says with no run, a run on, a run the companion forgot or
// cannot count, and what it asks the worker (the worker's answers stood in for; the real worker
// is in test/unit/extension/runs.test.ts and test/e2e/runs-popup.test.ts).
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunAnswer, RunView, WorkerRequest } from '../../../extension/shared/messages';
import type { RunResource } from '../../../protocol/runs';
import { click, mount, type } from '../ui/render';

const sent: WorkerRequest[] = [];
let answer: (msg: WorkerRequest) => unknown = () => undefined;
vi.mock('wxt/browser', () => ({
  browser: {
    runtime: { sendMessage: async (msg: WorkerRequest) => (sent.push(msg), answer(msg)) },
    tabs: { query: async () => [{ id: 7 }] },
  },
}));
const { RunSection } = await import('../../../extension/popup/Run/RunSection');
const { duration, countsLine } = await import('../../../extension/popup/Run/run-words');

const NOW = Date.now();
const run = (over: Partial<RunResource> = {}): RunResource => ({
  runId: 'run-abc',
  name: 'checkout, Chrome',
  startedAt: NOW - 192_000,
  stoppedAt: null,
  active: false,
  counts: { visits: 2, events: 14, rejected: 1, duplicates: 0 },
  visitIds: ['v1', 'v2'],
  problems: [],
  checks: [],
  ...over,
});
const none: RunView = { runId: '', run: null, waiting: 0 };
const on = (over: Partial<RunView> = {}): RunView => ({ runId: 'run-abc', run: run(), waiting: 0, ...over });
const settle = () => act(() => new Promise((r) => setTimeout(r, 0)));

let cleanup: (() => void) | undefined;
beforeEach(() => void sent.splice(0));
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

async function show(first: RunView) {
  let current = first;
  const answers: Partial<Record<WorkerRequest['type'], (msg: WorkerRequest) => RunAnswer>> = {};
  answer = (msg) => (msg.type === 'run:get' ? current : answers[msg.type]?.(msg));
  const m = mount(<RunSection />);
  cleanup = m.unmount;
  await settle();
  return { root: m.root, answers, set: (v: RunView) => (current = v) };
}

describe('RunSection', () => {
  it('with no run: a labelled name field; Enter (submitting the form) starts a run with that name', async () => {
    const { root, answers } = await show(none);
    const input = root.querySelector<HTMLInputElement>('#run-name')!;
    expect(input.labels?.[0]?.textContent).toBe('Run name');
    expect(root.querySelector('section#run')!.getAttribute('aria-labelledby')).toBe('run-title');
    answers['run:start'] = () => ({ ok: true, view: on() });
    type(input, 'checkout, Chrome');
    act(() => void root.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true, bubbles: true })));
    await settle();
    expect(sent.filter((m) => m.type !== 'run:get')).toEqual([{ type: 'run:start', name: 'checkout, Chrome' }]);
    expect(root.querySelector('#run-on')!.textContent).toContain('Run “checkout, Chrome” on for 3 min 12 s');
  });

  it('a run on: its name, how long, its counts in words, what still waits, and Stop', async () => {
    const { root, answers } = await show(on({ waiting: 3 }));
    expect(root.querySelector('#run-counts')!.textContent).toBe('14 events in 2 visits; 1 rejected, 0 duplicates. 3 of its events are still waiting to be sent.');
    answers['run:stop'] = () => ({ ok: true, view: none });
    click(root.querySelector('#run-stop')!);
    await settle();
    expect(sent.at(-1)).toEqual({ type: 'run:stop' });
    expect(root.querySelector('#run-name')).not.toBeNull();
  });

  it('a stop that fails says why, as an alert, and the run stays on', async () => {
    const { root, answers } = await show(on());
    answers['run:stop'] = () => ({ ok: false, problem: 'unreachable', error: 'the companion is unreachable (fetch failed): the run is still on' });
    click(root.querySelector('#run-stop')!);
    await settle();
    const alert = root.querySelector('#run-error')!;
    expect(alert.getAttribute('role')).toBe('alert');
    expect(alert.textContent).toContain('the run is still on');
    expect(root.querySelector('#run-on')).not.toBeNull();
  });

  it('a run set by a suite whose counts cannot be read (401, unreachable) still shows, with the reason', async () => {
    const { root } = await show(on({ run: null, problem: 'auth', error: 'the companion asks for credentials' }));
    expect(root.querySelector('#run-on')!.textContent).toContain('Run run-abc');
    expect(root.querySelector('#run-counts')!.textContent).toContain('Its counts are not known: the companion asks for credentials.');
  });

  it('a run the companion forgot: said plainly, and the popup offers to leave it', async () => {
    const { root, answers } = await show(on({ run: null, problem: 'gone', waiting: 1, error: 'x' }));
    const box = root.querySelector('#run-gone')!;
    expect(box.textContent).toContain('The companion no longer knows run run-abc');
    expect(box.textContent).toContain('1 of its events is still waiting to be sent. Leave the run to send it in no run.');
    answers['run:clear'] = () => ({ ok: true, view: none });
    click(root.querySelector('#run-clear')!);
    await settle();
    expect(sent.at(-1)).toEqual({ type: 'run:clear' });
    expect(root.querySelector('#run-name')).not.toBeNull();
  });

  it('a name refused by the worker is said, naming what to do', async () => {
    const { root, answers } = await show(none);
    answers['run:start'] = () => ({ ok: false, field: 'name', error: 'give the run a name, such as "checkout, Chrome"' });
    act(() => void root.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true, bubbles: true })));
    await settle();
    expect(root.querySelector('#run-error')!.textContent).toContain('give the run a name');
  });
});

describe('run words', () => {
  it('durations and counts', () => {
    expect([duration(4_900), duration(60_000), duration(3 * 3600_000 + 5 * 60_000)]).toEqual(['4 s', '1 min 0 s', '3 h 5 min']);
    expect(countsLine(run({ counts: { visits: 1, events: 1, rejected: 0, duplicates: 0 } }))).toBe('1 event in 1 visit; nothing rejected');
  });
});
