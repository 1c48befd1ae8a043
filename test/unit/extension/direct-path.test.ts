// The direct path (Chromium, built-in hosts): the page's tracker sends its batches to the worker
// through externally_connectable. The worker takes only `capture` that way, only from the top
// frame of a tab on a tracked built-in host; the id the page names is the manifest key's.
import { describe, expect, it, vi } from 'vitest';
import { EXTENSION_ID as COMPANION_TRUSTS } from '../../../companion/server/extension-id';
import { RELAY_READY_EVENT, type CaptureRecord } from '../../../extension/shared/capture';
import { directSender, EXTENSION_ID, whenLoaded } from '../../../extension/tracker/direct-link';
import { relayLink } from '../../../extension/tracker/relay-link';
import { defaultSettings, tracksUrl } from '../../../extension/worker/settings';

vi.hoisted(() => {
  (globalThis as { chrome?: unknown }).chrome = { runtime: { getManifest: () => ({}) } };
});
const { externalCaptureTab, sendsDirect } = await import('../../../extension/worker/direct');
const { needsRelay } = await import('../../../extension/worker/relay');

const capture = { type: 'capture', records: [] };
const top = (url: string, tabId = 4) => ({ url, frameId: 0, tab: { id: tabId } });

describe('the direct path', () => {
  it("names the extension's own id (the one its manifest key gives)", () => {
    expect(EXTENSION_ID).toBe(COMPANION_TRUSTS);
  });

  it('the worker takes only capture, only from the top frame of a tab on a tracked built-in host', () => {
    const s = defaultSettings();
    expect(externalCaptureTab(s, capture, top('http://127.0.0.1:8080/cart'))).toBe(4);
    expect(externalCaptureTab(s, capture, top('https://localhost/'))).toBe(4);
    expect(externalCaptureTab(s, { type: 'settings:set', companionUrl: 'http://evil.test' }, top('http://127.0.0.1/'))).toBeNull();
    expect(externalCaptureTab(s, { type: 'tab:lab', tabId: 9 }, top('http://127.0.0.1/'))).toBeNull();
    expect(externalCaptureTab(s, capture, { ...top('http://127.0.0.1/'), frameId: 3 })).toBeNull();
    expect(externalCaptureTab(s, capture, { url: 'http://127.0.0.1/', frameId: 0 })).toBeNull(); // no tab
    expect(externalCaptureTab(s, capture, top('http://shop.test/'))).toBeNull(); // not in the manifest
    expect(externalCaptureTab({ ...s, enabledHosts: ['shop.test'] }, capture, top('http://shop.test/'))).toBeNull();
    expect(externalCaptureTab({ ...s, disabledHosts: ['127.0.0.1'] }, capture, top('http://127.0.0.1/'))).toBeNull(); // switched off
    expect(externalCaptureTab(s, null, top('http://127.0.0.1/'))).toBeNull();
  });

  it('only the built-in hosts, and only in a build whose manifest has the path, skip the relay', () => {
    expect(sendsDirect('http://127.0.0.1:5173/', true)).toBe(true);
    expect(sendsDirect('http://localhost/x', true)).toBe(true);
    expect(sendsDirect('http://shop.test/', true)).toBe(false);
    expect(sendsDirect('http://127.0.0.1/', false)).toBe(false); // Firefox
    expect(sendsDirect(undefined, true)).toBe(false);
    expect(sendsDirect('http://127.0.0.1/')).toBe(false); // this test's manifest has none
  });

  it("the page sends each batch as one capture message to the extension's id, retried when unanswered", async () => {
    const calls: Array<[string, { type: string; records: CaptureRecord[] }]> = [];
    const runtime = {
      lastError: undefined as unknown,
      sendMessage(id: string, message: { type: string; records: CaptureRecord[] }, reply: (r: unknown) => void) {
        calls.push([id, message]);
        // The first goes unanswered (the worker being restarted): tried again.
        setTimeout(() => reply(calls.length === 1 ? undefined : { ok: true }), 0);
      },
    };
    expect(directSender({} as Window)).toBeNull(); // no chrome.runtime: the relay's path
    const send = directSender({ chrome: { runtime } } as unknown as Window)!;
    send([JSON.stringify({ seq: 1 }), JSON.stringify({ seq: 2 })]);
    await vi.waitFor(() => expect(calls.length).toBe(2));
    await new Promise((r) => setTimeout(r, 400));
    expect(calls).toHaveLength(2);
    expect(calls[0]).toEqual([EXTENSION_ID, { type: 'capture', records: [{ seq: 1 }, { seq: 2 }] }]);
  });

  it('the link holds records until opened (the page loaded), then batches them; the relay announcing itself does not open it', () => {
    vi.useFakeTimers();
    const win = Object.assign(new EventTarget(), { sessionStorage: { getItem: () => null, setItem() {}, removeItem() {} } }) as unknown as Window;
    const batches: number[][] = [];
    const link = relayLink(win, 25, (details) => batches.push(details.map((d) => (JSON.parse(d) as CaptureRecord).seq)));
    link.emit({ seq: 1 } as CaptureRecord);
    win.dispatchEvent(new CustomEvent(RELAY_READY_EVENT));
    expect(batches).toEqual([]);
    link.open();
    expect(batches).toEqual([[1]]);
    link.emit({ seq: 2 } as CaptureRecord);
    link.emit({ seq: 3 } as CaptureRecord);
    vi.advanceTimersByTime(25);
    expect(batches).toEqual([[1], [2, 3]]);
    vi.useRealTimers();
  });

  it('whenLoaded: at once for a loaded page, else at load or after the fallback, once', () => {
    vi.useFakeTimers();
    const page = (readyState: string) => Object.assign(new EventTarget(), { document: { readyState } }) as unknown as Window;
    let opened = 0;
    whenLoaded(page('complete'), () => opened++);
    expect(opened).toBe(1);
    const loading = page('loading');
    whenLoaded(loading, () => opened++, 1000);
    loading.dispatchEvent(new Event('load'));
    vi.advanceTimersByTime(1000);
    expect(opened).toBe(2);
    whenLoaded(page('interactive'), () => opened++, 1000);
    vi.advanceTimersByTime(999);
    expect(opened).toBe(2);
    vi.advanceTimersByTime(1);
    expect(opened).toBe(3);
    vi.useRealTimers();
  });
});

describe('a tracked page with or without the relay', () => {
  // background.ts exits the page a tab leaves when the next one is not tracked: it asks tracksUrl,
  // not needsRelay (false for the direct path's pages, which are tracked all the same).
  it('tracksUrl: a tracked host whichever path its records take; not a switched-off, other or non-web page', () => {
    const s = { ...defaultSettings(), enabledHosts: ['shop.test'] };
    // This test's manifest has no externally_connectable: the relay path, as in Firefox.
    expect(needsRelay(s, 'http://127.0.0.1/cart')).toBe(true);
    expect(tracksUrl(s, 'http://127.0.0.1/cart')).toBe(true);
    expect(tracksUrl(s, 'http://shop.test/')).toBe(true);
    expect(tracksUrl(s, 'http://elsewhere.test/')).toBe(false);
    expect(tracksUrl({ ...s, disabledHosts: ['127.0.0.1'] }, 'http://127.0.0.1/cart')).toBe(false);
    expect(tracksUrl(s, 'chrome://extensions')).toBe(false);
    expect(tracksUrl(s, undefined)).toBe(false);
  });
});
