// Words and times as the timeline writes them: one place, so that the picture, its accessible
// names and the tests say the same thing.
import type { DeliveryState, Moment } from './story';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `HH:MM:SS` in the browser's local time (what a tester's clock shows). */
export function formatTime(t: number): string {
  const d = new Date(t);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** `HH:MM:SS.mmm`, for the inspector, where two moments a few ms apart must differ. */
export function formatTimeMs(t: number): string {
  return `${formatTime(t)}.${pad(new Date(t).getMilliseconds(), 3)}`;
}

/** `YYYY-MM-DD HH:MM` in local time, for an axis that spans days (an identity's visits). */
export function formatDateTime(t: number): string {
  const d = new Date(t);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A span in words: `850 ms`, `12 s`, `3 min 4 s`, `2 h 5 min`, `3 d 4 h`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

/**
 * How far the moment got: its delivery state, `stored` for an event read back from the History
 * API (it has a serverTimestamp), `rejected in the page` for a push that made no event.
 */
export function deliveryText(m: Moment): string {
  if (m.command?.outcome === 'rejected') return 'rejected in the page';
  if (m.delivery) return m.delivery.state;
  if (m.event && 'serverTimestamp' in m.event) return 'stored';
  return m.event ? 'not sent' : m.command?.outcome ?? '';
}

/** The moment's name: the event's name, else the command's first element (`config`, ...). */
export function momentName(m: Moment): string {
  if (m.event) return m.event.eventName;
  const raw = m.command?.raw;
  if (Array.isArray(raw) && typeof raw[0] === 'string') {
    // `['event', 'SignIn', ...]` names the event it would have been.
    return raw[0] === 'event' && typeof raw[1] === 'string' ? raw[1] : raw[0];
  }
  return 'command';
}

export const DELIVERY_STATES: readonly DeliveryState[] = ['queued', 'sent', 'accepted', 'duplicate', 'rejected'];
