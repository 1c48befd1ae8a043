// The `_gt` tracker (contract sections 1 and 2), shared by the extension's page-world script and
// the standalone GPE.min.js: the page view's life (VisitStarted, PageEntered, PageExited, a
// return from the back/forward cache) and the dispatch of each command into an event (or a
// rejection), handed as capture records to its host, which delivers them. The cookies are in
// cookies.ts, the `_gt` queue in gt-queue.ts, the commands' reading in commands.ts, the rules
// in rules/ (dsl.ts for GPE.min.js). Nothing here may throw into the page.
import type { GtEvent } from '../../protocol/events';
import { COOKIES, type CaptureRecord, type CaptureSource, type TrackerIds } from '../shared/capture';
import { missingIdentifier } from '../../protocol/identifiers';
import { parseCommand, type Command, type TrackerConfig } from './commands';
import { cookieJar, newId } from './cookies';
import { installQueue, queueOwned } from './gt-queue';
import { fetchRules, type RulesEngine } from './rules-loader';

export interface TrackerHost {
  /** Delivers a record; `leaving` is set while the page is being left (last chance to send). */
  emit(record: CaptureRecord, config: TrackerConfig, leaving: boolean): void;
  /**
   * Makes the pushed command JSON-safe for the capture log. The standalone GPE.min.js shows no
   * log, so it leaves this out and stays small.
   */
  describe?: (command: unknown) => unknown;
  /**
   * Runs the site's domain-model.xml (the extension's: every part of GWE's DSL, rules/run.ts).
   * Left out, the small engine of dsl.ts runs it: GPE.min.js has no room for more.
   */
  rules?: RulesEngine;
}

export interface Tracker {
  /** Runs a command as if the page had pushed it (the popup's actions). */
  push(command: unknown, source: CaptureSource): void;
  /** Forgets the visit (and session) so that the next page load starts a new one. */
  newVisit(): void;
}

const TWO_YEARS = 63072000;

/** Starts tracking `win`; returns null when a tracker already owns its `_gt`. */
export function startTracker(win: Window, host: TrackerHost): Tracker | null {
  if (queueOwned(win)) return null;
  const doc = win.document;
  const config: TrackerConfig = {};
  let seq = 0;
  let ready = false;
  const held: Array<[CaptureRecord, unknown]> = [];

  const [readCookie, writeCookie] = cookieJar(doc);

  const known = readCookie(COOKIES.globalVisitID);
  let globalVisitID = known || newId();
  // Persistent, refreshed when a visit starts so that it lasts two years from the last visit.
  // Not on every page: writing a persistent cookie and reading it back held up each page's
  // parsing for milliseconds (the browser stores it before the read can answer).
  if (!known || !readCookie(COOKIES.visitID)) writeCookie(COOKIES.globalVisitID, globalVisitID, TWO_YEARS);
  const cookiesWork = known !== undefined || readCookie(COOKIES.globalVisitID) === globalVisitID;
  // What the page view started with: its first events are built later (once the title is
  // known) but must say what was true then. `session` also stands in for blocked cookies.
  let page = { pageID: '', visitID: '', url: '', startedAt: 0, newVisit: false, open: false, sessionAtStart: undefined as string | undefined };
  let session: string | undefined;
  const currentSession = (): string | undefined => {
    const cookie = readCookie(COOKIES.sessionID);
    // The cookie is the truth (another tab may sign in or out); memory only when cookies fail.
    return cookiesWork ? cookie : session;
  };

  const ids = (): TrackerIds => {
    const sessionID = currentSession();
    const out: TrackerIds = { globalVisitID, visitID: page.visitID, pageID: page.pageID };
    if (sessionID) out.sessionID = sessionID;
    return out;
  };

  const makeEvent = (
    eventType: GtEvent['eventType'],
    eventName: string,
    data: Record<string, unknown>,
    at: number,
    /** An event of the page view's start: the session and address of then, not now. */
    ofStart = false,
  ): GtEvent => {
    const sessionID = ofStart ? page.sessionAtStart : currentSession();
    const url = ofStart ? page.url : win.location.href;
    const ev: GtEvent = {
      eventType,
      eventName,
      eventID: newId(),
      pageID: page.pageID,
      timestamp: at,
      // GWE always sends it; the server fills in the categories.
      category: '',
      url,
      globalVisitID,
      visitID: page.visitID,
      data,
    };
    if (sessionID) ev.sessionID = sessionID;
    if (config.languageCode) ev.languageCode = config.languageCode;
    return ev;
  };

  const emit = (record: CaptureRecord, leaving = false, raw?: unknown): void => {
    if (!ready) {
      held.push([record, raw]);
      return;
    }
    record.seq = ++seq;
    try {
      // Inside the try: a page may have replaced console with something that throws.
      if (record.outcome === 'rejected') console.warn('[_gt] rejected:', record.reason, raw);
      else if (record.warning) console.warn('[_gt]', record.warning, raw);
      else if (config.debug) console.debug('[_gt]', record.outcome, record.events, raw);
    } catch {
      // ignored
    }
    try {
      host.emit(record, config, leaving);
    } catch {
      // A host failure must not reach the page.
    }
  };

  const describe = (command: unknown): unknown => {
    try {
      return host.describe!(command);
    } catch {
      return '(unreadable)';
    }
  };

  const record = (source: CaptureSource, command: unknown, at: number, cmd: Partial<Command>): CaptureRecord => ({
    seq: 0,
    at,
    source,
    command: source === 'tracker' || !host.describe ? null : describe(command),
    form: cmd.form,
    outcome: (cmd.kind === 'event' ? (source === 'tracker' ? 'system' : 'event') : cmd.kind) as CaptureRecord['outcome'],
    reason: cmd.kind === 'rejected' ? cmd.reason : undefined,
    warning: cmd.kind === 'event' ? cmd.warning : undefined,
    events: [],
    ids: ids(),
    page: { url: win.location.href, title: doc.title },
  });

  const enterPage = (at: number): void => {
    let visitID = readCookie(COOKIES.visitID);
    const newVisit = !visitID;
    if (!visitID) {
      visitID = newId();
      writeCookie(COOKIES.visitID, visitID); // a browser-session cookie: one visit per session
    }
    page = { pageID: newId(), visitID, url: win.location.href, startedAt: at, newVisit, open: true, sessionAtStart: currentSession() };
  };

  /** Once the title is known: VisitStarted and PageEntered, then what was pushed meanwhile. */
  const announcePage = (): void => {
    if (ready) return;
    ready = true;
    const at = page.startedAt;
    const rec = record('tracker', null, at, { kind: 'event' });
    if (page.newVisit) {
      const started = makeEvent('SYSTEM', 'VisitStarted', {}, at, true);
      // GWE's VisitStarted carries the browser's offset from UTC (minutes).
      started.timezoneOffset = new Date(at).getTimezoneOffset();
      rec.events.push(started);
    }
    rec.events.push(makeEvent('SYSTEM', 'PageEntered', { title: doc.title, referrer: doc.referrer }, at, true));
    rec.ids = { ...rec.ids };
    if (page.sessionAtStart) rec.ids.sessionID = page.sessionAtStart;
    else delete rec.ids.sessionID;
    emit(rec);
    for (const [r, raw] of held.splice(0)) {
      r.page.title = doc.title;
      emit(r, false, raw);
    }
  };

  const exitPage = (): void => {
    if (!page.open) return;
    announcePage();
    page.open = false;
    const at = Date.now();
    const rec = record('tracker', null, at, { kind: 'event' });
    const ev = makeEvent('SYSTEM', 'PageExited', {}, at);
    // Derived from the page: the worker can send the same event for a tab that closed too fast.
    ev.eventID = `${page.pageID}.exit`;
    rec.events.push(ev);
    emit(rec, true);
  };

  const handle = (command: unknown, source: CaptureSource): void => {
    const at = Date.now();
    let cmd: Command;
    try {
      cmd =
        source === 'rule'
          ? // A rule raises a business event, whatever its name (a rule named SignOut signs no one out).
            {
              kind: 'event',
              form: 'rule',
              eventType: 'BUSINESS',
              eventName: String((command as unknown[])[1]),
              data: ((command as unknown[])[2] as Record<string, unknown>) || {},
              warning: (command as unknown[])[3] as string | undefined,
            }
          : parseCommand(command);
    } catch (e) {
      cmd = { kind: 'rejected', reason: `unreadable command (${(e as Error)?.message})` };
    }
    const rec = record(source, command, at, cmd);
    if (cmd.kind === 'event') {
      const ev = makeEvent(cmd.eventType, cmd.eventName, cmd.data, at);
      if (cmd.eventName === 'SignIn' && !missingIdentifier('SignIn', cmd.data)) {
        // Each SignIn opens a new session (contract section 3); one naming no one opens none,
        // as in the companion.
        ev.sessionID = session = newId();
        writeCookie(COOKIES.sessionID, ev.sessionID);
      } else if (cmd.eventName === 'SignOut') {
        session = undefined;
        writeCookie(COOKIES.sessionID, '', 0);
      }
      rec.events.push(ev);
      rec.ids = ids();
    } else if (cmd.kind === 'config') {
      const dsl = !config.dslResource && cmd.config.dslResource;
      Object.assign(config, cmd.config);
      if (dsl) loadRules(dsl);
    } else if (cmd.kind === 'getIDs') {
      try {
        cmd.callback(ids());
      } catch (e) {
        rec.reason = `the getIDs callback threw: ${(e as Error)?.message}`;
      }
    }
    emit(rec, false, command);
  };

  /** The site's business-event rules, once per page: failures are recorded, never thrown. */
  const loadRules = (url: string): void =>
    fetchRules(url, win, host.rules, {
      fire: (name, data, note) => safeHandle(['event', name, data, note], 'rule'),
      fail: (reason) => emit({ ...record('rule', ['config', { dslResource: url }], Date.now(), { kind: 'rejected' }), reason: `dslResource: ${reason}` }),
    });

  const safeHandle = (command: unknown, source: CaptureSource): void => {
    try {
      handle(command, source);
    } catch {
      // Never into the page.
    }
  };

  const pending = installQueue(win, (c) => safeHandle(c, 'page'));

  enterPage(Date.now());
  for (const c of pending) safeHandle(c, 'page');
  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', announcePage, { once: true });
  else announcePage();
  win.addEventListener('pagehide', exitPage);
  win.addEventListener('pageshow', (e) => {
    // Back from the bfcache: a new page view, maybe of a new visit if the session ended.
    if (!(e as PageTransitionEvent).persisted || page.open) return;
    globalVisitID = readCookie(COOKIES.globalVisitID) || globalVisitID;
    enterPage(Date.now());
    ready = false;
    announcePage();
  });

  return {
    push: safeHandle,
    newVisit: () => {
      writeCookie(COOKIES.visitID, '', 0);
      writeCookie(COOKIES.sessionID, '', 0);
    },
  };
}
