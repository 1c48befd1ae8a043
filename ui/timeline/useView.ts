// Zoom and pan state of a timeline: the view over a domain, reset when the domain's start
// changes (another visit), kept while a live visit grows at its end unless zoomed out fully.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { clampView, fullView, MIN_SPAN, panView, revealTime, zoomView, type View } from './scale';

export interface ViewControl {
  view: View;
  domain: View;
  zoom: (factor: number, anchor?: number) => void;
  pan: (by: number) => void;
  reveal: (t: number) => void;
  reset: () => void;
  /** Shows a given span (kept inside the domain, widened a little so its ends show). */
  show: (v: View) => void;
  zoomed: boolean;
}

export function useView(start: number, end: number): ViewControl {
  const domain = fullView(start, end);
  const [view, setView] = useState<View>(domain);
  const whole = useRef(true);
  const shownStart = useRef(domain.start);
  useEffect(() => {
    // Another story (its start moved): show it whole. Zoomed out fully, the view follows a
    // growing visit; zoomed in, it stays where it is.
    if (whole.current || shownStart.current !== domain.start) {
      whole.current = true;
      setView(domain);
    } else setView((v) => (v.end > domain.end ? domain : v));
    shownStart.current = domain.start;
  }, [domain.start, domain.end]);
  const set = (next: View) => {
    whole.current = next.start <= domain.start && next.end >= domain.end;
    setView(next);
  };
  const zoom = useCallback((factor: number, anchor?: number) => set(zoomView(view, domain, factor, anchor)), [view, domain.start, domain.end]);
  const pan = useCallback((by: number) => set(panView(view, domain, by)), [view, domain.start, domain.end]);
  const reveal = useCallback((t: number) => set(revealTime(view, domain, t)), [view, domain.start, domain.end]);
  const reset = useCallback(() => set(domain), [domain.start, domain.end]);
  const show = (v: View) => {
    const pad = Math.max((v.end - v.start) * 0.05, (MIN_SPAN - (v.end - v.start)) / 2, 0);
    set(clampView({ start: v.start - pad, end: v.end + pad }, domain));
  };
  return { view, domain, zoom, pan, reveal, reset, show, zoomed: view.start > domain.start || view.end < domain.end };
}
