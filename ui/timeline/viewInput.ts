// Keys and wheel that zoom and pan a picture (VisitTimeline, IdentityTimeline): + and - zoom,
// 0 shows everything, Shift+←/→ pan; the wheel zooms about the pointer, Shift+wheel or a
// sideways wheel pans.
import type { ViewControl } from './useView';

/** Handles a zoom/pan key; `anchor` is the time to zoom about (the focused mark's). */
export function onViewKey(control: ViewControl, e: KeyboardEvent, anchor?: number): void {
  if ((e.target as HTMLElement).tagName === 'INPUT') return; // "+" typed in the filter
  if (e.key === '+' || e.key === '=') control.zoom(2, anchor);
  else if (e.key === '-' || e.key === '_') control.zoom(0.5, anchor);
  else if (e.key === '0') control.reset();
  else if (e.key === 'ArrowLeft' && e.shiftKey) control.pan(-0.25);
  else if (e.key === 'ArrowRight' && e.shiftKey) control.pan(0.25);
  else return;
  e.preventDefault();
}

/** Handles a wheel turn over the plot whose first track is the time axis' width. */
export function onViewWheel(control: ViewControl, e: WheelEvent, plot: HTMLElement | null): void {
  const track = plot?.querySelector('.vl-track');
  if (!track) return;
  e.preventDefault();
  const rect = track.getBoundingClientRect();
  if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
    control.pan(((e.shiftKey ? e.deltaY : e.deltaX) || 0) / Math.max(rect.width, 1));
    return;
  }
  const f = rect.width > 0 ? (e.clientX - rect.left) / rect.width : 0.5;
  const anchor = control.view.start + Math.min(1, Math.max(0, f)) * (control.view.end - control.view.start);
  control.zoom(e.deltaY < 0 ? 1.25 : 0.8, anchor);
}
