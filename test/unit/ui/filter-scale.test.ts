// The timeline's text filter and its time scale (zoom, pan, ticks).
import { describe, expect, it } from 'vitest';
import { matchingKeys, momentMatches } from '../../../ui/timeline/filter';
import { clampView, fraction, fullView, MIN_SPAN, panView, revealTime, tickFormat, ticks, zoomLevel, zoomView } from '../../../ui/timeline/scale';
import { moment, rejectedPush, shopStory } from './stories';

describe('momentMatches', () => {
  const cart = moment('AddToCart', 1, 'cart', { data: { sku: 'SKU-42' }, sessionID: 's9', delivery: { state: 'rejected', reason: 'eventID reused', field: 'eventID', warning: 'clock ahead' } });
  it.each([
    ['the event name, any case', 'addtocart'],
    ['the eventID', cart.event!.eventID],
    ['the pageID', 'cart'],
    ['the sessionID', 's9'],
    ['the url', '127.0.0.1:8080/cart'],
    ['data', 'sku-42'],
    ['the command', '"event"'],
    ['the form', '8.5'],
    ['the delivery state', 'rejected'],
    ['the delivery reason', 'reused'],
    ['the warning', 'clock ahead'],
    ['every word, in any order', 'sku-42 addtocart'],
  ])('finds a moment by %s', (_what, text) => {
    expect(momentMatches(cart, text)).toBe(true);
  });

  it('needs every word; an empty filter matches all', () => {
    expect(momentMatches(cart, 'addtocart checkout')).toBe(false);
    expect(momentMatches(cart, '   ')).toBe(true);
  });

  it('finds a push rejected in the page by its reason and by "rejected"', () => {
    const push = rejectedPush(1, 'login', 'SignIn needs data.userId');
    expect(momentMatches(push, 'needs data.userid')).toBe(true);
    expect(momentMatches(push, 'rejected in the page')).toBe(true);
  });

  it('matchingKeys: null when not filtering, else the matching keys', () => {
    const story = shopStory();
    expect(matchingKeys(story.moments, '')).toBeNull();
    const keys = matchingKeys(story.moments, 'ProductViewed')!;
    expect(keys.size).toBe(2);
  });
});

describe('time scale', () => {
  const domain = { start: 0, end: 10_000 };

  it('fraction places a time in the view', () => {
    expect(fraction({ start: 1000, end: 3000 }, 2000)).toBe(0.5);
    expect(fraction({ start: 1000, end: 3000 }, 500)).toBe(-0.25);
  });

  it('fullView leaves a little room after the end, so a state that began last shows', () => {
    expect(fullView(0, 10_000)).toEqual({ start: 0, end: 10_600 });
  });

  it('tick labels carry seconds, minutes or dates as the step needs', () => {
    const t = new Date(2026, 10, 29, 21, 5, 30).getTime();
    expect(tickFormat(10_000, 60_000)(t)).toBe('21:05:30');
    expect(tickFormat(200, 1_000)(t + 400)).toBe('05:30.400'); // a journey of a second: ticks tell apart
    expect(tickFormat(5 * 60e3, 3600e3)(t)).toBe('21:05');
    expect(tickFormat(6 * 3600e3, 3 * 86400e3)(t)).toBe('11-29 21:05');
    expect(tickFormat(86400e3, 30 * 86400e3)(t)).toBe('2026-11-29');
  });

  it('fullView widens a single instant so it has a width', () => {
    const v = fullView(5000, 5000);
    expect(v.end - v.start).toBeGreaterThanOrEqual(MIN_SPAN);
    expect((v.start + v.end) / 2).toBe(5000);
  });

  it('zooms about the middle, or keeps an anchor in place', () => {
    expect(zoomView(domain, domain, 2)).toEqual({ start: 2500, end: 7500 });
    const v = zoomView(domain, domain, 2, 2000);
    expect(v).toEqual({ start: 1000, end: 6000 });
    expect(fraction(v, 2000)).toBeCloseTo(fraction(domain, 2000));
  });

  it('zooming out stops at the whole domain, in at MIN_SPAN', () => {
    expect(zoomView({ start: 2000, end: 4000 }, domain, 0.1)).toEqual(domain);
    const v = zoomView(domain, domain, 1e9);
    expect(v.end - v.start).toBe(MIN_SPAN);
  });

  it('pans by a share of the view, never past the domain', () => {
    const v = { start: 2000, end: 4000 };
    expect(panView(v, domain, 0.5)).toEqual({ start: 3000, end: 5000 });
    expect(panView(v, domain, -5)).toEqual({ start: 0, end: 2000 });
    expect(panView(v, domain, 50)).toEqual({ start: 8000, end: 10000 });
    expect(clampView({ start: -50, end: 20000 }, domain)).toEqual(domain);
  });

  it('reveals a time outside the view with a margin, and leaves the view alone when it shows', () => {
    const v = { start: 0, end: 2000 };
    expect(revealTime(v, domain, 1000)).toBe(v);
    const r = revealTime(v, domain, 5000);
    expect(r.end - r.start).toBe(2000);
    expect(fraction(r, 5000)).toBeCloseTo(0.9);
  });

  it('zoomLevel is the domain over the view', () => {
    expect(zoomLevel({ start: 0, end: 2500 }, domain)).toBe(4);
  });

  it('ticks are round times inside the view', () => {
    const { step, times } = ticks({ start: 1_000_250, end: 1_060_000 }, 6);
    expect(step).toBe(10_000);
    expect(times.every((t) => t >= 1_000_250 && t <= 1_060_000)).toBe(true);
    expect(times.length).toBeGreaterThanOrEqual(5);
    expect(times.length).toBeLessThanOrEqual(6);
  });
});
