// What the tracker reports for every `_gt` command and system event: the capture record the
// content script relays to the worker and the popup renders. Plain data (it crosses worlds).
import type { GtEvent } from '../../protocol/events';

/** The ids the tracker holds for the page; sessionID only while signed in. */
export interface TrackerIds {
  globalVisitID: string;
  visitID: string;
  pageID: string;
  sessionID?: string;
}

export type CaptureSource = 'page' | 'lab' | 'tracker' | 'rule';
export type CaptureOutcome = 'event' | 'rejected' | 'config' | 'getIDs' | 'system';

export interface CaptureRecord {
  /** Order within the page view (pageID); with pageID it makes the record's key. */
  seq: number;
  /** When the command was pushed (browser clock, ms). */
  at: number;
  /**
   * `page`: the site's `_gt.push`; `lab`: an action from the popup; `tracker`: a system event;
   * `rule`: a business event raised by the site's DSL rules.
   */
  source: CaptureSource;
  /** The command as the page gave it, made JSON-safe (functions and cycles described). */
  command: unknown;
  /** Which documented form it matched, e.g. `8.5 ['event', 'SignIn', {data}]`. */
  form?: string;
  outcome: CaptureOutcome;
  /** Why the command was rejected (outcome `rejected`). */
  reason?: string;
  /** What GWE would send but cannot fully use (a SignIn naming no one): sent, with this note. */
  warning?: string;
  events: GtEvent[];
  /** The ids after the command. */
  ids: TrackerIds;
  page: { url: string; title: string };
}

/** Tracker → content script: a DOM event on window whose detail is the JSON of a record. */
export const CAPTURE_EVENT = 'visitor-lab:capture';
/** Content script → tracker: the relay is listening now (it comes after the page has loaded). */
export const RELAY_READY_EVENT = 'visitor-lab:relay-ready';
/** Content script → tracker: a lab action (JSON detail of a LabCommand). */
export const LAB_EVENT = 'visitor-lab:lab';

export type LabCommand = { type: 'push'; command: unknown } | { type: 'newVisit' };

/** Cookies the tracker keeps on the site's domain (contract section 2). */
export const COOKIES = {
  globalVisitID: '_gt_globalVisitID',
  visitID: '_gt_visitID',
  sessionID: '_gt_sessionID',
} as const;
