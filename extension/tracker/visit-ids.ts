// The ids a page view carries (contract section 2) and the cookies that keep them on the site's
// domain: globalVisitID (the browser, two years), visitID (one browser session), the page
// view's pageID, and the sessionID a SignIn opens.
import { COOKIES, type TrackerIds } from '../shared/capture';
import { cookieJar, newId } from './cookies';

const TWO_YEARS = 63072000;

/** The page view's ids as its events carry them; the session is apart (it may change). */
export type PageIds = Omit<TrackerIds, 'sessionID'>;

/**
 * A tuple, not an object, like cookieJar's: GPE.min.js is built from this code and must stay
 * under 4 KB gzipped, and a tuple's members minify to one letter where methods keep their names.
 */
export type VisitIds = [
  /** The page view's ids (read them, never write them). */
  page: PageIds,
  /** The session now: the cookie's (another tab may sign in or out), memory only when cookies fail. */
  session: () => string | undefined,
  /** The ids now, for a capture record or a getIDs callback. */
  ids: () => TrackerIds,
  /** A new page view: a new pageID, the browser session's visit or a new one; true when new. */
  enterPage: () => boolean,
  /** A SignIn naming someone: a new session (contract section 3). */
  openSession: () => string,
  /** A SignOut: no session. */
  closeSession: () => void,
  /** Forgets the visit (and session): the next page load starts a new one. */
  forgetVisit: () => void,
];

export function visitIds(doc: Document): VisitIds {
  const [readCookie, writeCookie] = cookieJar(doc);
  const known = readCookie(COOKIES.globalVisitID);
  // visitID and pageID come with the first page view (enterPage), in this order (ids' order).
  const page = { globalVisitID: known || newId() } as PageIds;
  // Persistent, refreshed when a visit starts so that it lasts two years from the last visit.
  // Not on every page: writing a persistent cookie and reading it back held up each page's
  // parsing for milliseconds (the browser stores it before the read can answer).
  if (!known || !readCookie(COOKIES.visitID)) writeCookie(COOKIES.globalVisitID, page.globalVisitID, TWO_YEARS);
  const cookiesWork = known !== undefined || readCookie(COOKIES.globalVisitID) === page.globalVisitID;
  // Stands in for the session cookie when cookies are blocked.
  let session: string | undefined;
  const current = (): string | undefined => {
    const cookie = readCookie(COOKIES.sessionID);
    return cookiesWork ? cookie : session;
  };
  return [
    page,
    current,
    () => {
      const sessionID = current();
      const out: TrackerIds = { ...page };
      if (sessionID) out.sessionID = sessionID;
      return out;
    },
    () => {
      // Back from the back/forward cache, the cookie says the browser's id (the same at the start).
      page.globalVisitID = readCookie(COOKIES.globalVisitID) || page.globalVisitID;
      let visitID = readCookie(COOKIES.visitID);
      const isNew = !visitID;
      if (!visitID) {
        visitID = newId();
        writeCookie(COOKIES.visitID, visitID); // a browser-session cookie: one visit per session
      }
      page.visitID = visitID;
      page.pageID = newId();
      return isNew;
    },
    () => {
      session = newId();
      writeCookie(COOKIES.sessionID, session);
      return session;
    },
    () => {
      session = undefined;
      writeCookie(COOKIES.sessionID, '', 0);
    },
    () => {
      writeCookie(COOKIES.visitID, '', 0);
      writeCookie(COOKIES.sessionID, '', 0);
    },
  ];
}
