// Which events under one eventID are the same event (a duplicate) and which are another
// (refused): the visit, type, name, page and data make the event; its stamping does not.
import { describe, expect, it } from 'vitest';
import { differingField, reuseReason } from '../../../companion/server/event-reuse';
import type { GtEvent } from '../../../protocol';

const kept: GtEvent = {
  eventType: 'BUSINESS', eventName: 'Buy', eventID: 'e1', pageID: 'p1', timestamp: 1000, url: 'http://a/',
  languageCode: 'en', category: 'shop', globalVisitID: 'g1', visitID: 'v1', sessionID: 's1', data: { sku: '1', n: [1, { a: null }] },
};

describe('differingField', () => {
  it('is null for a resend, even stamped anew, with data keys in another order', () => {
    expect(differingField({ ...kept }, kept)).toBeNull();
    const restamped = { ...kept, timestamp: 9, url: 'http://b/', languageCode: 'fr', category: undefined, sessionID: undefined, data: { n: [1, { a: null }], sku: '1' } };
    expect(differingField(restamped, kept)).toBeNull();
  });

  it('names the first field that makes it another event, the visit first', () => {
    expect(differingField({ ...kept, visitID: 'v2', eventName: 'Sell' }, kept)).toBe('visitID');
    expect(differingField({ ...kept, globalVisitID: 'g2' }, kept)).toBe('globalVisitID');
    expect(differingField({ ...kept, eventName: 'Sell' }, kept)).toBe('eventName');
    expect(differingField({ ...kept, pageID: undefined }, kept)).toBe('pageID');
    for (const data of [{ sku: '2', n: [1, { a: null }] }, { sku: '1', n: [1, { a: 0 }] }, { sku: '1', n: { 0: 1, 1: { a: null } } }, { sku: '1' }, undefined]) {
      expect(differingField({ ...kept, data }, kept)).toBe('data');
    }
  });

  it('says which visit has the eventID, or what differs in this one', () => {
    expect(reuseReason('visitID', kept)).toBe('is already used by an event of another visit (v1): each event needs its own eventID (a resend of the same event is a duplicate)');
    expect(reuseReason('data', kept)).toContain('another event of this visit (its data differs)');
  });
});
