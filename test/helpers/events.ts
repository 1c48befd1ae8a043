// Builders for tracker events, so a test reads as the visit it describes.
import type { GtEvent, StoredEvent } from '../../protocol';

let counter = 0;

export interface VisitCtx {
  visitID: string;
  globalVisitID: string;
  /** Browser time of the next event; each builder call advances it by 1 s. */
  t: number;
  sessionID?: string;
}

export function visitCtx(visitID = `v${++counter}`, globalVisitID = `g-${visitID}`, t = Date.now() - 60_000): VisitCtx {
  return { visitID, globalVisitID, t };
}

export function ev(ctx: VisitCtx, eventName: string, extra: Partial<GtEvent> = {}): GtEvent {
  const system = ['VisitStarted', 'PageEntered', 'PageExited', 'SignIn', 'SignOut', 'UserInfo'].includes(eventName);
  ctx.t += 1000;
  return {
    eventType: system ? 'SYSTEM' : 'BUSINESS',
    eventName,
    eventID: `e${++counter}-${eventName}`,
    timestamp: ctx.t,
    globalVisitID: ctx.globalVisitID,
    visitID: ctx.visitID,
    url: 'http://shop.test/',
    languageCode: 'en',
    ...(ctx.sessionID ? { sessionID: ctx.sessionID } : {}),
    ...extra,
  };
}

export const visitStarted = (c: VisitCtx, extra: Partial<GtEvent> = {}) => ev(c, 'VisitStarted', { pageID: 'p0', ...extra });
export const pageEntered = (c: VisitCtx, pageID: string, url = `http://shop.test/${pageID}`, title = `Page ${pageID}`) =>
  ev(c, 'PageEntered', { pageID, url, data: { title, referrer: '' } });
export const pageExited = (c: VisitCtx, pageID: string) => ev(c, 'PageExited', { pageID });
export const signIn = (c: VisitCtx, data: Record<string, unknown>, pageID = 'p1') => ev(c, 'SignIn', { pageID, data });
export const signOut = (c: VisitCtx, pageID = 'p1') => ev(c, 'SignOut', { pageID });
export const userInfo = (c: VisitCtx, userId: string, pageID = 'p1') => ev(c, 'UserInfo', { pageID, data: { userId } });

/** What intake makes of an event before the engine applies it. */
export function stored(e: GtEvent, serverTimestamp = e.timestamp): StoredEvent {
  return { ...e, serverTimestamp, browserPageID: e.pageID ?? null, visitorState: 'Anonymous' };
}
