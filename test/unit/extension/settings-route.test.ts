// settings:set / settings:get through the router: the companion's credentials are kept, bad
// input is refused naming the field, and the password never comes back to a page.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { SettingsView, TabStory, TabView } from '../../../extension/shared/messages';
import { settingsStore } from '../../../extension/worker/settings';
import type { Worker } from '../../../extension/worker/router';
import { memoryArea } from './memory-area';

vi.hoisted(() => {
  (globalThis as { chrome?: unknown }).chrome = {
    tabs: { get: async () => ({ url: 'http://localhost:8080/' }) },
    permissions: { contains: async () => true },
  };
});

let route: typeof import('../../../extension/worker/router').route;
beforeAll(async () => {
  ({ route } = await import('../../../extension/worker/router'));
});

function worker() {
  const area = memoryArea();
  const settings = settingsStore(area);
  let checks = 0;
  const w = {
    settings,
    courier: { flush: async () => undefined, status: { url: '', reachable: true, checkedAt: Date.now() + 60_000 } },
    // Counts fresh checks only: one already under way may be asking the old address.
    checkCompanion: async (fresh = false) => void (fresh && checks++),
    companion: { auth: null },
  } as unknown as Worker;
  return { w, area, checks: () => checks };
}

describe('companion settings', () => {
  it('keeps user and password; an absent password keeps the saved one; empty clears', async () => {
    const { w, area, checks } = worker();
    expect(await route(w, { type: 'settings:set', companionUrl: 'http://127.0.0.1:9999/x', user: 'ann', password: 'pw' }, undefined, true)).toEqual({ ok: true, companionUrl: 'http://127.0.0.1:9999' });
    expect(checks()).toBe(1); // asked again at once: the popup shows whether they work
    await new Promise((r) => setTimeout(r, 0));
    expect(area.data.get('visitorLab.settings')).toMatchObject({ companionUrl: 'http://127.0.0.1:9999', companionUser: 'ann', companionPassword: 'pw' });

    await route(w, { type: 'settings:set', companionUrl: 'http://127.0.0.1:9999', user: 'bob' }, undefined, true);
    expect(await w.settings.get()).toMatchObject({ companionUser: 'bob', companionPassword: 'pw' });
    await route(w, { type: 'settings:set', companionUrl: 'http://127.0.0.1:9999', user: '', password: '' }, undefined, true);
    expect(await w.settings.get()).toMatchObject({ companionUser: '', companionPassword: '' });
  });

  it('settings:get tells whether a password is saved, never the password', async () => {
    const { w } = worker();
    await route(w, { type: 'settings:set', companionUrl: 'http://127.0.0.1:9081', user: 'ann', password: 'pw' }, undefined, true);
    const view = (await route(w, { type: 'settings:get' }, undefined, true)) as SettingsView;
    expect(view).toEqual({ companionUrl: 'http://127.0.0.1:9081', companionUser: 'ann', hasPassword: true, enabledHosts: [], disabledHosts: [] });
    expect(JSON.stringify(view)).not.toContain('pw');
  });

  it('refuses bad input naming the field, and changes nothing', async () => {
    const { w } = worker();
    const bad = [
      [{ companionUrl: 'ftp://x' }, 'companionUrl'],
      [{ companionUrl: 'http://127.0.0.1:9081', user: 'a:b' }, 'user'],
      [{ companionUrl: 'http://127.0.0.1:9081', user: 'a\nb' }, 'user'],
      [{ companionUrl: 'http://127.0.0.1:9081', user: 42 }, 'user'],
      [{ companionUrl: 'http://127.0.0.1:9081', password: {} }, 'password'],
    ] as const;
    for (const [msg, field] of bad) {
      const answer = (await route(w, { type: 'settings:set', ...msg } as never, undefined, true)) as { ok: boolean; field: string; error: string };
      expect(answer).toMatchObject({ ok: false, field });
      expect(answer.error).toBeTruthy();
    }
    expect(await w.settings.get()).toMatchObject({ companionUrl: 'http://127.0.0.1:9081', companionUser: '', companionPassword: '' });
  });

  it('pages may not change them, nor read the companion through the worker', async () => {
    const { w } = worker();
    expect(await route(w, { type: 'settings:set', companionUrl: 'http://evil.test', user: 'x', password: 'y' }, 3, false)).toEqual({ ok: false, error: 'not allowed from a page' });
    expect(await route(w, { type: 'companion:visit', visitID: 'v1' }, 3, false)).toEqual({ ok: false, error: 'not allowed from a page' });
    expect(await route(w, { type: 'tab:story', tabId: 3 }, 3, false)).toEqual({ ok: false, error: 'not allowed from a page' });
  });
});

describe('tab:story and the revision', () => {
  it('refuses a request without a tab or a visit, naming the field', async () => {
    const { w } = worker();
    expect(await route(w, { type: 'tab:story', tabId: 'x' } as never, undefined, true)).toMatchObject({ ok: false, field: 'tabId' });
    expect(await route(w, { type: 'companion:visit', visitID: 42 } as never, undefined, true)).toMatchObject({ ok: false, field: 'visitID' });
  });

  it('the story of the tab’s current visit, and a revision that moves with the log and its deliveries', async () => {
    const ids = { globalVisitID: 'g', visitID: 'v1', pageID: 'p1' };
    const ev = { eventType: 'SYSTEM', eventName: 'PageEntered', eventID: 'e1', pageID: 'p1', timestamp: 5, globalVisitID: 'g', visitID: 'v1' };
    const log = { url: 'http://localhost:8080/', ids, records: [{ seq: 1, at: 5, source: 'tracker', command: null, outcome: 'system', events: [ev], ids, page: { url: 'http://localhost:8080/', title: 'Home' } }], deliveries: {} as Record<string, unknown> };
    const w = {
      log: { get: async () => log },
      courier: { status: { url: 'http://127.0.0.1:9081', reachable: true, checkedAt: Date.now() + 60_000 } },
      companion: { auth: 'missing' },
      outbox: { size: async () => 1 },
      settings: settingsStore(memoryArea()),
      checkCompanion: async () => undefined,
    } as unknown as Worker;
    const first = (await route(w, { type: 'tab:story', tabId: 4 }, undefined, true)) as TabStory;
    expect(first.story!.moments.map((m) => [m.key, m.tab, m.delivery?.state])).toEqual([['e1', '4', 'queued']]);
    const view = (await route(w, { type: 'tab:get', tabId: 4 }, undefined, true)) as TabView;
    expect(view.revision).toBe(first.revision);
    expect(view.companion.auth).toBe('missing');
    log.deliveries.e1 = { state: 'accepted', at: 9 };
    const second = (await route(w, { type: 'tab:story', tabId: 4 }, undefined, true)) as TabStory;
    expect(second.revision).not.toBe(first.revision);
    expect(second.story!.moments[0].delivery?.state).toBe('accepted');
  });
});
