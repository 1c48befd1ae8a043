// The time scale: which span of the visit is in view (zoom and pan), and where a time falls in
// it, as a fraction of the plot's width (the components turn it into a CSS percentage).

/** A span of time in view, ms. */
export interface View {
  start: number;
  end: number;
}

/** The narrowest view: zooming further shows nothing new. */
export const MIN_SPAN = 50;

/** Room left after the last moment (a share of the span): the last state shows, however late it began. */
export const TAIL = 0.06;

/**
 * The whole domain, with a little room after its end (TAIL), widened around a single instant
 * so it has a width to draw.
 */
export function fullView(start: number, end: number): View {
  if (end - start >= MIN_SPAN) return { start, end: end + (end - start) * TAIL };
  const mid = (start + end) / 2;
  return { start: mid - MIN_SPAN * 10, end: mid + MIN_SPAN * 10 };
}

/** Where `t` falls in the view: 0 at its start, 1 at its end (outside: below 0 or above 1). */
export function fraction(view: View, t: number): number {
  return (t - view.start) / (view.end - view.start);
}

/** Keeps a view inside the domain (the whole visit) without changing its span if it fits. */
export function clampView(view: View, domain: View): View {
  const span = Math.min(view.end - view.start, domain.end - domain.start);
  let start = Math.max(domain.start, Math.min(view.start, domain.end - span));
  if (!Number.isFinite(start)) start = domain.start;
  return { start, end: start + span };
}

/**
 * Zooms by `factor` (2 = twice as close, 0.5 = twice as far) keeping `anchor` (a time; the
 * view's middle by default) at the same place on screen.
 */
export function zoomView(view: View, domain: View, factor: number, anchor?: number): View {
  const span = view.end - view.start;
  const maxSpan = domain.end - domain.start;
  const next = Math.min(maxSpan, Math.max(MIN_SPAN, span / factor));
  const at = anchor ?? (view.start + view.end) / 2;
  const f = Math.min(1, Math.max(0, fraction(view, at)));
  return clampView({ start: at - f * next, end: at - f * next + next }, domain);
}

/** Moves the view by `by` of its own width (0.25 = a quarter to the right; negative: left). */
export function panView(view: View, domain: View, by: number): View {
  const shift = (view.end - view.start) * by;
  return clampView({ start: view.start + shift, end: view.end + shift }, domain);
}

/** Moves the view just enough that `t` is in it, with a margin of a tenth of its width. */
export function revealTime(view: View, domain: View, t: number): View {
  const span = view.end - view.start;
  const margin = span / 10;
  if (t < view.start + margin) return clampView({ start: t - margin, end: t - margin + span }, domain);
  if (t > view.end - margin) return clampView({ start: t + margin - span, end: t + margin }, domain);
  return view;
}

/** How much of the domain is in view: 1 when all of it (the zoom level is its inverse). */
export function zoomLevel(view: View, domain: View): number {
  return (domain.end - domain.start) / (view.end - view.start);
}

/** How an axis writes its ticks: with the date when the view spans days, seconds when the step needs them. */
export function tickFormat(step: number, span: number): (t: number) => string {
  const pad = (n: number) => String(n).padStart(2, '0');
  // Sub-second steps (a journey a test drove in a second) need the milliseconds, or every tick reads the same.
  if (step < 1e3) return (t) => { const d = new Date(t); return `${pad(d.getMinutes())}:${pad(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`; };
  if (step < 60e3) return (t) => { const d = new Date(t); return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`; };
  if (step >= 86400e3) return (t) => { const d = new Date(t); return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`; };
  if (span > 86400e3) return (t) => { const d = new Date(t); return `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`; };
  return (t) => { const d = new Date(t); return `${pad(d.getHours())}:${pad(d.getMinutes())}`; };
}

const STEPS = [
  1, 2, 5, 10, 20, 50, 100, 200, 500,
  1e3, 2e3, 5e3, 10e3, 15e3, 30e3,
  60e3, 2 * 60e3, 5 * 60e3, 10 * 60e3, 15 * 60e3, 30 * 60e3,
  3600e3, 2 * 3600e3, 3 * 3600e3, 6 * 3600e3, 12 * 3600e3,
  86400e3, 2 * 86400e3, 7 * 86400e3, 30 * 86400e3, 365 * 86400e3,
];

/** Round times for the axis, about `count` of them in the view, and the step between them. */
export function ticks(view: View, count = 6): { step: number; times: number[] } {
  const span = view.end - view.start;
  const step = STEPS.find((s) => span / s <= count) ?? STEPS[STEPS.length - 1];
  // Steps of a day or less are aligned to local midnight (a 15-min tick at :00, :15, ...).
  const offset = step <= 86400e3 ? new Date(view.start).getTimezoneOffset() * 60e3 : 0;
  const times: number[] = [];
  for (let t = Math.ceil((view.start - offset) / step) * step + offset; t <= view.end; t += step) times.push(t);
  return { step, times };
}
