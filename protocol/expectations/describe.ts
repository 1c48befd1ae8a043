// How a report names steps, values and events: short, in the words a spec is written in, so a
// message reads without the spec or the visit open beside it. Pure.
import type { CheckedEvent } from './match';
import type { Step } from './types';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const MAX_TEXT = 80;

const clip = (s: string) => (s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT - 1)}…` : s);
const keyText = (k: string) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : `'${k}'`);

/** A value as a spec writes it: 'text', 42, {re: '^/a'}, {email: 'pat@example.com'}; `nothing` when absent. */
export function valueText(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'string') return `'${clip(v).replace(/'/g, "\\'")}'`;
  if (Array.isArray(v)) return `[${v.map(valueText).join(', ')}]`;
  if (isObject(v)) return `{${Object.entries(v).map(([k, x]) => `${keyText(k)}: ${valueText(x)}`).join(', ')}}`;
  return String(v);
}

/** The step as written: {event: 'SignIn', data: {email: 'pat@example.com'}}. */
export const stepText = (step: Step): string => valueText(step);

/** Where an event went: its url's path (the site is the same throughout a visit), else the url. */
function where(url: unknown): string {
  if (typeof url !== 'string' || url === '') return '';
  try {
    const u = new URL(url);
    return clip(u.pathname + u.search + u.hash);
  } catch {
    return clip(url);
  }
}

/** `PageEntered /login (Anonymous)`: name, the page for page events, and the state after it. */
export function eventText(ev: CheckedEvent): string {
  const page = ev.eventName === 'PageEntered' || ev.eventName === 'PageExited' ? where(ev.url) : '';
  return `${ev.eventName}${page ? ` ${page}` : ''}${ev.visitorState ? ` (${ev.visitorState})` : ''}`;
}

/** `event 7 at 12:00:03` (UTC, the browser's time): enough to find it in the visit's timeline. */
export function eventPlace(ev: CheckedEvent, index: number): string {
  const t = Number.isFinite(ev.timestamp) && Math.abs(ev.timestamp) < 8.64e15 ? ` at ${new Date(ev.timestamp).toISOString().slice(11, 19)} UTC` : '';
  return `event ${index + 1}${t}`;
}

/** "steps 1-3", "step 1", "no step". */
export function stepsMetText(met: number): string {
  return met === 0 ? 'no step' : met === 1 ? 'step 1' : `steps 1-${met}`;
}

/** The events from `from` on, at most `max` named, then how many more (no copy of a big visit). */
export function eventsText(events: CheckedEvent[], from = 0, max = 6): string {
  const shown = events.slice(from, from + max).map(eventText).join(', ');
  const more = events.length - from - max;
  return more > 0 ? `${shown} and ${more} more` : shown;
}
