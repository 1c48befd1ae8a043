// The timeline picture's public API: what the popup, the DevTools panel and the companion's
// web app import (with './timeline.css' for the looks).
export type { DeliveryState, Moment, MomentCommand, MomentDelivery, Story } from './story';
export { buildTimeline } from './model';
export type { BuildOptions, Lane, Mark, MarkKind, PageBar, TimelineModel } from './model';
export type { SessionSpan, StateCause, StateSegment } from './states';
export { isRejected, namedIdentity } from './states';
export { matchingKeys, momentMatches } from './filter';
export { clampView, fraction, fullView, panView, revealTime, tickFormat, ticks, zoomLevel, zoomView, type View } from './scale';
export { deliveryText, formatDateTime, formatDuration, formatTime, formatTimeMs, momentName } from './format';
export { identityStories, storyFromHistory } from './history';
export { VisitTimeline, type VisitTimelineProps } from './VisitTimeline';
export { MomentInspector, type MomentInspectorProps } from './MomentInspector';
export { IdentityTimeline, type IdentityTimelineProps } from './IdentityTimeline';
