// @vitest-environment happy-dom
// visit-ids.ts: the ids a page view carries and the cookies that keep them (contract section 2).
import { afterEach, describe, expect, it } from 'vitest';
import { COOKIES } from '../../../extension/shared/capture';
import { visitIds } from '../../../extension/tracker/visit-ids';

const cookie = (name: string) => document.cookie.split('; ').find((c) => c.startsWith(`${name}=`))?.slice(name.length + 1);
// happy-dom keeps a cookie set with max-age=0 as '' where a browser drops it: "no session" is falsy.
const clearCookies = () => {
  for (const name of Object.values(COOKIES)) document.cookie = `${name}=; path=/; max-age=0`;
};

afterEach(clearCookies);

describe('visitIds', () => {
  it('a first page view: a new globalVisitID and visit, kept in cookies; no session', () => {
    const [page, session, ids, enterPage] = visitIds(document);
    expect(enterPage()).toBe(true);
    expect(page.globalVisitID).toMatch(/^[0-9a-f]{32}$/);
    expect(page.visitID).toMatch(/^[0-9a-f]{32}$/);
    expect(page.pageID).toMatch(/^[0-9a-f]{32}$/);
    expect(cookie(COOKIES.globalVisitID)).toBe(page.globalVisitID);
    expect(cookie(COOKIES.visitID)).toBe(page.visitID);
    expect(session()).toBeFalsy();
    // The ids' order is the record's (globalVisitID, visitID, pageID), with no sessionID key.
    expect(Object.keys(ids())).toEqual(['globalVisitID', 'visitID', 'pageID']);
  });

  it('the next page of the visit (a new tracker, as a page load): the same visit, a new page', () => {
    const [first, , , enterFirst] = visitIds(document);
    enterFirst();
    const [next, , , enterNext] = visitIds(document);
    expect(enterNext()).toBe(false);
    expect(next.globalVisitID).toBe(first.globalVisitID);
    expect(next.visitID).toBe(first.visitID);
    expect(next.pageID).not.toBe(first.pageID);
  });

  it('a SignIn opens a session (cookie and ids); a SignOut ends it', () => {
    const [, session, ids, enterPage, openSession, closeSession] = visitIds(document);
    enterPage();
    const sessionID = openSession();
    expect(session()).toBe(sessionID);
    expect(cookie(COOKIES.sessionID)).toBe(sessionID);
    expect(ids().sessionID).toBe(sessionID);
    closeSession();
    expect(session()).toBeFalsy();
    expect(ids()).not.toHaveProperty('sessionID');
  });

  it("another tab's sign-in shows through the cookie (read at most once a second)", async () => {
    const [, session, , enterPage] = visitIds(document);
    enterPage();
    document.cookie = `${COOKIES.sessionID}=s-other; path=/`;
    await new Promise((r) => setTimeout(r, 1100));
    expect(session()).toBe('s-other');
  });

  it('forgetVisit: the next page view starts a new visit, with no session; the browser stays', () => {
    const [page, , , enterPage, openSession, , forgetVisit] = visitIds(document);
    enterPage();
    openSession();
    const { globalVisitID, visitID } = page;
    forgetVisit();
    expect(cookie(COOKIES.visitID) ?? '').toBe('');
    expect(cookie(COOKIES.sessionID) ?? '').toBe('');
    const [next, session, , enterNext] = visitIds(document);
    expect(enterNext()).toBe(true);
    expect(next.visitID).not.toBe(visitID);
    expect(next.globalVisitID).toBe(globalVisitID);
    expect(session()).toBeFalsy();
  });

  it('cookies blocked (a sandboxed frame): the ids and the session live in memory for the page', () => {
    const blocked = {
      get cookie(): string {
        throw new Error('SecurityError');
      },
      set cookie(_v: string) {
        throw new Error('SecurityError');
      },
    } as unknown as Document;
    const [page, session, , enterPage, openSession, closeSession] = visitIds(blocked);
    expect(enterPage()).toBe(true);
    expect(page.globalVisitID).toMatch(/^[0-9a-f]{32}$/);
    const sessionID = openSession();
    expect(session()).toBe(sessionID);
    closeSession();
    expect(session()).toBeFalsy();
  });
});
