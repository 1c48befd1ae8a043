// A capture record of system events, as the tracker reports them, for the worker's tests.
import type { CaptureRecord } from '../../../extension/shared/capture';

export function systemRecord(pageID: string, seq: number, at: number, names: string[], options: { sessionID?: string; pageUrl?: string } = {}): CaptureRecord {
  const { sessionID, pageUrl = `http://shop/${pageID}` } = options;
  return {
    seq,
    at,
    source: 'tracker',
    command: null,
    outcome: 'system',
    events: names.map((eventName, i) => ({
      eventType: 'SYSTEM',
      eventName,
      eventID: `${pageID}-${seq}-${i}`,
      pageID,
      timestamp: at,
      globalVisitID: 'g',
      visitID: 'v',
      url: `http://shop/${pageID}`,
      data: eventName === 'PageEntered' ? { title: pageID, referrer: '' } : {},
    })),
    ids: { globalVisitID: 'g', visitID: 'v', pageID, ...(sessionID ? { sessionID } : {}) },
    page: { url: pageUrl, title: pageID },
  };
}
