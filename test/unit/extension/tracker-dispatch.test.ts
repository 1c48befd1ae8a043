// @vitest-environment happy-dom
// dispatch.ts: each command turned into what it does (an event, a session opened or ended, a
// config, a getIDs answer, a rejection), each recorded, none thrown into the page.
import { afterEach, describe, expect, it } from 'vitest';
import { COOKIES } from '../../../extension/shared/capture';
import { dispatcher, readCommand } from '../../../extension/tracker/dispatch';
import type { TrackerHost } from '../../../extension/tracker/tracker';
import { clearCookies, names, pageWindow, trackerParts } from './tracker-fixture';

afterEach(clearCookies);

function tracked(host: Partial<TrackerHost> = {}) {
  const parts = trackerParts(pageWindow('complete'), host);
  const rules: string[] = [];
  const push = dispatcher(parts.visit, parts.view, parts.config, parts.record, (url) => rules.push(url));
  parts.follow();
  const last = () => parts.delivered.at(-1)!.record;
  return { ...parts, push, rules, last };
}
const sessionCookie = () => document.cookie.split('; ').find((c) => c.startsWith(`${COOKIES.sessionID}=`))?.split('=')[1];

describe('dispatcher: identity events', () => {
  it('a SignIn naming someone opens a new session each time: on its event, the ids after it and the cookie', () => {
    const { push, last } = tracked();
    push(['event', 'SignIn', { data: { userId: 'u1' } }], 'page');
    const first = last();
    expect(first.events[0]).toMatchObject({ eventType: 'SYSTEM', eventName: 'SignIn', sessionID: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(first.ids.sessionID).toBe(first.events[0].sessionID);
    expect(sessionCookie()).toBe(first.events[0].sessionID);
    push(['sendSignIn', { email: 'a@b.c' }], 'page');
    expect(last().events[0].sessionID).not.toBe(first.events[0].sessionID);
  });

  it('a SignIn naming no one is sent, with a warning, and opens no session', () => {
    const { push, last } = tracked();
    push(['event', 'SignIn', { data: {} }], 'page');
    expect(last()).toMatchObject({ outcome: 'event', warning: expect.stringMatching(/identifies no one/) });
    expect(last().events[0]).not.toHaveProperty('sessionID');
    expect(last().ids).not.toHaveProperty('sessionID');
  });

  it('a SignOut carries the session it ends; the ids after it have none', () => {
    const { push, last } = tracked();
    push(['event', 'SignIn', { data: { userId: 'u1' } }], 'page');
    const sessionID = last().events[0].sessionID;
    push(['event', 'SignOut'], 'page');
    expect(last().events[0]).toMatchObject({ eventName: 'SignOut', sessionID });
    expect(last().ids).not.toHaveProperty('sessionID');
    expect(sessionCookie() || undefined).toBeUndefined();
  });

  it("a business event's record has the ids after it; UserInfo changes no session", () => {
    const { push, last, ids } = tracked();
    push(['event', 'UserInfo', { data: { userId: 'u1' } }], 'page');
    push(['event', 'AddToCart', { data: { sku: 1 } }], 'page');
    expect(last().events[0]).toMatchObject({ eventType: 'BUSINESS', eventName: 'AddToCart', data: { sku: 1 } });
    expect(last().ids).toEqual(ids());
    expect(last().ids).not.toHaveProperty('sessionID');
  });
});

describe('dispatcher: other commands', () => {
  it('a config is kept (languageCode stamped after it); its dslResource loads the rules once a page', () => {
    const { push, last, rules, config } = tracked();
    push(['config', { dslResource: '/rules-a.xml', languageCode: 'de' }], 'page');
    expect(last()).toMatchObject({ outcome: 'config', events: [] });
    push(['config', { dslResource: '/rules-b.xml' }], 'page');
    expect(rules).toEqual(['/rules-a.xml']);
    expect(config).toMatchObject({ dslResource: '/rules-b.xml', languageCode: 'de' });
    push(['event', 'X'], 'page');
    expect(last().events[0].languageCode).toBe('de');
  });

  it('getIDs answers at once with the ids; a callback that throws is noted, not thrown', () => {
    const { push, last, ids } = tracked();
    let got: unknown;
    push(['getIDs', (ids: unknown) => (got = ids)], 'page');
    expect(got).toEqual(ids());
    expect(last()).toMatchObject({ outcome: 'getIDs' });
    push(['getIDs', () => { throw new Error('boom'); }], 'page');
    expect(last().reason).toBe('the getIDs callback threw: boom');
  });

  it('a rejected command is recorded with its reason; nothing reaches the page when even the host fails', () => {
    const { push, last, delivered } = tracked();
    push(['event', 'PageEntered'], 'page');
    expect(last()).toMatchObject({ outcome: 'rejected', reason: 'PageEntered is sent by the tracker itself, not pushed', events: [] });
    expect(names(delivered).at(-1)).toEqual([]);
    const failing = tracked({ emit: () => { throw new Error('host down'); } });
    expect(() => failing.push(['event', 'X'], 'page')).not.toThrow();
  });
});

describe('readCommand', () => {
  it("a rule's command is a business event whatever its name, its note a warning", () => {
    expect(readCommand(['event', 'SignIn', { userId: 'u1' }, 'a val could not be read'], 'rule')).toEqual({
      kind: 'event',
      form: 'rule',
      eventType: 'BUSINESS',
      eventName: 'SignIn',
      data: { userId: 'u1' },
      warning: 'a val could not be read',
    });
    expect(readCommand(['event', 'SignIn', { data: { userId: 'u1' } }], 'page')).toMatchObject({ eventType: 'SYSTEM' });
  });

  it('a command that throws when read is rejected as unreadable', () => {
    const hostile = new Proxy([], {
      get() {
        throw new Error('no peeking');
      },
    });
    expect(readCommand(hostile, 'page')).toEqual({ kind: 'rejected', reason: 'unreadable command (no peeking)' });
  });
});
