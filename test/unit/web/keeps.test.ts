import { describe, expect, it } from 'vitest';
import { keepsWords } from '../../../companion/web/Health/keeps';

describe("the health page's Keeps", () => {
  it('says everything is kept without retention', () => {
    expect(keepsWords(undefined)).toBe('everything (no --retain-days or --max-events)');
  });
  it('names what each setting keeps and what was forgotten', () => {
    expect(keepsWords({ retainDays: 7, maxEvents: 100000, forgotten: { visits: 12, events: 1200 } })).toBe(
      'visits active within 7 days; about 100,000 events at most; forgotten since it started: 12 visits (1,200 events)',
    );
    expect(keepsWords({ retainDays: 1, forgotten: { visits: 1, events: 1 } })).toBe('visits active within 1 day; forgotten since it started: 1 visit (1 event)');
    expect(keepsWords({ maxEvents: 50, forgotten: { visits: 0, events: 0 } })).toBe('about 50 events at most; forgotten since it started: 0 visits (0 events)');
  });
});
