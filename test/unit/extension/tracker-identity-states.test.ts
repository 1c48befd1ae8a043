// The picture's states agree with the tracker and the companion about identity events that name
// no one (sent, with a warning): they change nothing, while a SignOut always closes a session.
import { describe, expect, it } from 'vitest';
import type { CaptureRecord } from '../../../extension/shared/capture';
import { localVisitorState } from '../../../extension/shared/visitor-state';
import type { Story } from '../../../ui/timeline/story';
import { trackStates } from '../../../ui/timeline/states';
import { moment, T0 } from '../ui/stories';

const story = (moments: Story['moments']): Story => ({ visitID: 'v1', globalVisitID: 'g1', moments });

describe('trackStates: identity events naming no one', () => {
  it('a SignIn or UserInfo without its identifier leaves the visit Anonymous; one with it changes it', () => {
    const moments = [
      moment('PageEntered', 0, 'p1'),
      moment('SignIn', 5, 'p1', { data: {} }),
      moment('UserInfo', 6, 'p1', { data: { email: 'a@b.c' } }),
      moment('SignIn', 10, 'p1', { data: { email: 'a@b.c' }, sessionID: 's1' }),
    ];
    const track = trackStates(story(moments), moments, T0, T0 + 20_000);
    expect(track.segments.map((s) => s.state)).toEqual(['Anonymous', 'Authenticated']);
    expect(track.sessions).toHaveLength(1);
  });
});

describe('localVisitorState: the same rule in the popup without the companion', () => {
  const rec = (eventName: string, data: Record<string, unknown>, at: number): CaptureRecord => ({
    seq: at,
    at,
    source: 'page',
    command: null,
    outcome: 'event',
    events: [{ eventType: 'SYSTEM', eventName, eventID: `e${at}`, pageID: 'p1', timestamp: at, globalVisitID: 'g', visitID: 'v1', data }],
    ids: { globalVisitID: 'g', visitID: 'v1', pageID: 'p1' },
    page: { url: 'http://shop/', title: '' },
  });
  it('a SignIn or UserInfo naming no one leaves the visit Anonymous', () => {
    expect(localVisitorState([rec('SignIn', {}, 1), rec('UserInfo', { email: 'a@b.c' }, 2)], 'v1')).toBe('Anonymous');
    expect(localVisitorState([rec('SignIn', { email: 'a@b.c' }, 1)], 'v1')).toBe('Authenticated');
  });
});
