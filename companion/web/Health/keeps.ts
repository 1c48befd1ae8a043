// What the companion keeps, in words (GET /lab/health's retention): the health page's "Keeps".
export interface RetentionFacts {
  retainDays?: number;
  maxEvents?: number;
  forgotten: { visits: number; events: number };
}

const n = (x: number) => x.toLocaleString('en');

export function keepsWords(retention: RetentionFacts | undefined): string {
  if (!retention) return 'everything (no --retain-days or --max-events)';
  const kept = [
    retention.retainDays !== undefined ? `visits active within ${n(retention.retainDays)} day${retention.retainDays === 1 ? '' : 's'}` : '',
    retention.maxEvents !== undefined ? `about ${n(retention.maxEvents)} events at most` : '',
  ].filter(Boolean);
  const { visits, events } = retention.forgotten;
  return `${kept.join('; ')}; forgotten since it started: ${n(visits)} visit${visits === 1 ? '' : 's'} (${n(events)} event${events === 1 ? '' : 's'})`;
}
