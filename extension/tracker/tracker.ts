// The `_gt` tracker (contract sections 1 and 2), shared by the extension's page-world script and
// the standalone GPE.min.js. One file a concern, wired here: the ids and their cookies
// (visit-ids.ts, cookies.ts), the page view's life (page-view.ts), each command turned into an
// event or a rejection (dispatch.ts, commands.ts), the capture records handed to the host, which
// delivers them (records.ts), the `_gt` queue (gt-queue.ts), the rules (rules-loader.ts, rules/,
// dsl.ts for GPE.min.js). Nothing here may throw into the page.
import type { CaptureRecord, CaptureSource } from '../shared/capture';
import type { TrackerConfig } from './commands';
import { dispatcher } from './dispatch';
import { installQueue, queueOwned } from './gt-queue';
import { pageView } from './page-view';
import { trackerRecords } from './records';
import { fetchRules, type RulesEngine } from './rules-loader';
import { visitIds } from './visit-ids';

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

/** Starts tracking `win`; returns null when a tracker already owns its `_gt`. */
export function startTracker(win: Window, host: TrackerHost): Tracker | null {
  if (queueOwned(win)) return null;
  const config: TrackerConfig = {};
  const visit = visitIds(win.document);
  const forgetVisit = visit[6];
  const [record, deliver] = trackerRecords(win, host, config, visit);
  const view = pageView(win, visit, config, record, deliver);
  const [, emit, follow] = view;

  /** The site's business-event rules, once per page: failures are recorded, never thrown. */
  const loadRules = (url: string): void =>
    fetchRules(url, win, host.rules, {
      fire: (name, data, note) => push(['event', name, data, note], 'rule'),
      fail: (reason) => emit({ ...record('rule', ['config', { dslResource: url }], Date.now(), { kind: 'rejected' }), reason: `dslResource: ${reason}` }),
    });
  const push = dispatcher(visit, view, config, record, loadRules);

  for (const c of installQueue(win, (c) => push(c, 'page'))) push(c, 'page');
  follow();
  return { push, newVisit: forgetVisit };
}
