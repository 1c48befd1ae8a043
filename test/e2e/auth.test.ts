// A companion started with --auth user:pass: intake stays open (events are delivered, none
// lost), History is closed. The popup says so plainly, takes the user and password in its
// companion settings, and then reads the visit through the worker; so does the full view.
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SettingsView } from '../../extension/shared/messages';
import { openPanel, openPopup, popupState, startLab, until, visit, type Lab } from './lab';

const USER = 'tester';
const PASSWORD = 'pa55 wörd';
let lab: Lab;
let page: Page;

beforeAll(async () => {
  lab = await startLab({ companion: { auth: `${USER}:${PASSWORD}` } });
  page = await lab.browser.browser.newPage();
});
afterAll(async () => {
  await lab?.close();
});

async function saveCredentials(popup: Page, user: string, password: string): Promise<void> {
  const field = async (selector: string, value: string) => {
    await popup.click(selector, { count: 3 });
    await popup.keyboard.press('Backspace');
    await popup.type(selector, value);
  };
  await field('#companion-user', user);
  await field('#companion-password', password);
  await popup.click('#companion-save');
}

describe('--auth', () => {
  it('without credentials: events are delivered, and the popup says the companion asks for credentials', async () => {
    const view = await visit(lab.browser, page, lab.shop.url('/'));
    const states = view.records.flatMap((r) => r.events).map((e) => view.deliveries[e.eventID]?.state);
    expect(states).toEqual(['accepted', 'accepted']);
    expect(view.companion.auth).toBe('missing');

    const popup = await openPopup(lab.browser, page);
    await popup.waitForSelector('#companion-status[data-auth="missing"][data-waiting="0"]');
    expect(await popup.$eval('#companion-auth', (e) => (e as HTMLElement).innerText)).toMatch(/^⚠ The companion asks for credentials/);
    // The badge is the tab's own, and says so; the settings are open to take the credentials.
    expect(await popup.$eval('#visitor-state', (e) => (e as HTMLElement).dataset.source)).toBe('local');
    expect(await popup.$eval('#settings', (e) => (e as HTMLDetailsElement).open)).toBe(true);
    // Labelled fields (their accessible names).
    expect(await popup.$eval('#companion-password', (e) => (e as HTMLInputElement).labels![0].textContent)).toContain('Password');
    if (process.env.VL_SCREENSHOTS) {
      await popup.screenshot({ path: `${process.env.VL_SCREENSHOTS}/popup-auth.png` });
      await (await popup.$('#settings'))!.screenshot({ path: `${process.env.VL_SCREENSHOTS}/popup-settings.png` });
    }

    await saveCredentials(popup, USER, 'wrong');
    await popup.waitForSelector('#companion-status[data-auth="refused"]');
    expect(await popup.$eval('#companion-auth', (e) => (e as HTMLElement).innerText)).toContain('The companion refused the user and password');

    await saveCredentials(popup, USER, PASSWORD);
    await popupState(popup, 'Anonymous');
    await popup.waitForSelector('#companion-status[data-auth=""]');
    await popup.close();
  });

  it('with them: the worker keeps them (never handing the password back) and the state comes from the History API', async () => {
    const settings = await lab.browser.ask<SettingsView>({ type: 'settings:get' });
    expect(settings).toMatchObject({ companionUser: USER, hasPassword: true });
    expect(JSON.stringify(settings)).not.toContain('pa55');

    const popup = await openPopup(lab.browser, page);
    await popupState(popup, 'Anonymous');
    await popup.type('#action-who', 'ann@shop.test');
    await popup.click('#action-signin');
    await popupState(popup, 'Authenticated');
    expect(await popup.$eval('#id-identityId', (e) => (e as HTMLElement).dataset.value)).toBe('ann@shop.test');
    // The password field shows only that one is saved.
    expect(await popup.$eval('#companion-password', (e) => [(e as HTMLInputElement).value, (e as HTMLInputElement).placeholder])).toEqual(['', 'saved (type to replace)']);
    await popup.close();

    const panel = await openPanel(lab.browser, page);
    await panel.waitForFunction(() => {
      const badge = document.querySelector('#visitor-state') as HTMLElement | null;
      return badge?.dataset.state === 'Authenticated' && badge.dataset.source === 'companion';
    });
    await panel.close();
  });

  it('delivery sends them too: a resent event is told `duplicate` (a caller without them hears `accepted`)', async () => {
    const view = await until(lab.browser, page, (v) => v.records.some((r) => r.events.some((e) => e.eventName === 'SignIn')));
    const signIn = view.records.flatMap((r) => r.events).find((e) => e.eventName === 'SignIn')!;
    expect(view.deliveries[signIn.eventID].state).toBe('accepted');
    // Queue it again in the worker, as a resend after a crash would.
    const tabId = view.tabId;
    const answer = await lab.browser.worker().then((w) =>
      w.evaluate(
        async (ev: { eventID: string }, tab: number) => {
          const lab = (globalThis as any).visitorLab;
          await lab.outbox.add([ev], tab);
          await lab.courier.flush(true);
          return (await lab.log.get(tab)).deliveries[ev.eventID].state;
        },
        signIn,
        tabId,
      ),
    );
    expect(answer).toBe('duplicate');
  });
});
