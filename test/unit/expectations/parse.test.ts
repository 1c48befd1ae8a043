// parseSpec: a good spec comes back as given; every mistake is named by its place.
import { describe, expect, it } from 'vitest';
import { parseSpec, parseSpecText } from '../../../protocol/expectations';
import { ISSUE_SPEC } from './issue-spec';


const problem = (input: unknown) => {
  const r = parseSpec(input);
  if (r.ok) throw new Error('expected a problem');
  return r.problem;
};
const stepsSpec = (...steps: unknown[]) => ({ visits: [{ steps }] });

describe('parseSpec', () => {
  it('reads the issue\'s example spec as written (a copy)', () => {
    const r = parseSpec(ISSUE_SPEC);
    expect(r).toEqual({ ok: true, spec: ISSUE_SPEC });
    if (r.ok) expect(r.spec).not.toBe(ISSUE_SPEC);
  });

  it('reads every kind of value: regex, nested data, arrays, other event fields, counts, flags', () => {
    const spec = {
      visits: [{ name: 'buying', steps: [
        { event: { re: '^Page' }, url: { re: '/cart$' }, title: 'Cart', eventType: 'SYSTEM', visitorState: 'Anonymous' },
        { event: 'AddToCart', data: { item: { sku: { re: '^S-' }, qty: 2 }, tags: ['a', 'b'], gift: false, note: null } },
        { count: 0, event: 'SignIn' },
      ] }],
      noRejected: true, noUndelivered: false, noDuplicates: true,
    };
    expect(parseSpec(spec)).toEqual({ ok: true, spec });
  });

  it.each([
    ['not an object', [], '', 'a spec must be an object'],
    ['asks nothing', { name: 'x' }, '', 'must ask for something'],
    ['unknown top-level key', { visits: [], visit: [] }, 'visit', 'is not a spec field'],
    ['visits not an array', { visits: {} }, 'visits', 'must be an array'],
    ['expectation without steps', { visits: [{}] }, 'visits[0].steps', 'must be an array of steps'],
    ['empty steps', { visits: [{ steps: [] }] }, 'visits[0].steps', 'at least one step'],
    ['unknown expectation key', { visits: [{ steps: [{ event: 'A' }], step: 1 }] }, 'visits[0].step', 'not a visit expectation field'],
    ['a step that is no kind', stepsSpec({ event: 'A' }, { event: 'B' }, { url: '/x' }), 'visits[0].steps[2]', 'a step needs one of event, state or count'],
    ['a step that is not an object', stepsSpec('SignIn'), 'visits[0].steps[0]', 'a step must be an object'],
    ['invalid regex', stepsSpec({ event: 'A', url: { re: '(' } }), 'visits[0].steps[0].url.re', 'is not a regular expression'],
    ['exponential regex', stepsSpec({ event: { re: '(a+)+$' } }), 'visits[0].steps[0].event.re', 'exponential time'],
    ['regex in data', stepsSpec({ event: 'A', data: { a: { b: { re: '[' } } } }), 'visits[0].steps[0].data.a.b.re', 'is not a regular expression'],
    ['re with another key', stepsSpec({ event: 'A', url: { re: 'x', flags: 'i' } }), 'visits[0].steps[0].url.flags', 'beside "re"'],
    ['re not a string', stepsSpec({ event: 'A', url: { re: 1 } }), 'visits[0].steps[0].url.re', 'must be a string'],
    ['unknown state', stepsSpec({ event: 'A' }, { state: 'LoggedIn' }), 'visits[0].steps[1].state', 'Anonymous, Recognized, Authenticated'],
    ['state step with more', stepsSpec({ state: 'Anonymous', event: 'A' }), 'visits[0].steps[0].event', 'holds only "state"'],
    ['negative count', stepsSpec({ count: -1, event: 'A' }), 'visits[0].steps[0].count', 'whole number 0 or more'],
    ['fractional count', stepsSpec({ count: 1.5, event: 'A' }), 'visits[0].steps[0].count', 'whole number'],
    ['count as text', stepsSpec({ count: '2', event: 'A' }), 'visits[0].steps[0].count', 'whole number'],
    ['count without event', stepsSpec({ count: 2 }), 'visits[0].steps[0].event', 'needs the event name'],
    ['count with url', stepsSpec({ count: 2, event: 'A', url: '/x' }), 'visits[0].steps[0].url', 'holds only "count" and "event"'],
    ['empty event name', stepsSpec({ event: ' ' }), 'visits[0].steps[0].event', 'non-empty string'],
    ['unknown event field', stepsSpec({ event: 'A', eventname: 'B' }), 'visits[0].steps[0].eventname', 'is not an event field'],
    ['event field as object', stepsSpec({ event: 'A', pageID: { id: 1 } }), 'visits[0].steps[0].pageID', 'must be a string, a number'],
    ['re inside an array', stepsSpec({ event: 'A', data: { tags: ['a', { re: 'b' }] } }), 'visits[0].steps[0].data.tags[1]', 'an array matches exactly'],
    ['url not text', stepsSpec({ event: 'A', url: 3 }), 'visits[0].steps[0].url', 'must be a string (a part of it)'],
    ['data not an object', stepsSpec({ event: 'A', data: 'x' }), 'visits[0].steps[0].data', 'must be an object'],
    ['visitorState field not a state', stepsSpec({ event: 'A', visitorState: 'anon' }), 'visits[0].steps[0].visitorState', 'must be a visitor state'],
    ['identity without identityId', { identities: [{ visits: 1 }] }, 'identities[0].identityId', 'needs the identityId'],
    ['identity blank', { identities: [{ identityId: '' }] }, 'identities[0].identityId', 'non-empty string'],
    ['identity visitScope', { identities: [{ identityId: 'a', visitScope: 'Anonymous' }] }, 'identities[0].visitScope', 'Authenticated or Recognized'],
    ['identity visits', { identities: [{ identityId: 'a', visits: -2 }] }, 'identities[0].visits', 'whole number'],
    ['identity unknown key', { identities: [{ identityId: 'a', scope: 'Recognized' }] }, 'identities[0].scope', 'not an identity expectation field'],
    ['flag not boolean', { noRejected: 'yes' }, 'noRejected', 'must be true or false'],
    ['name not text', { name: 3, noRejected: true }, 'name', 'must be a string'],
    ['odd key named readably', { noRejected: true, 'a b': 1 }, '["a b"]', 'is not a spec field'],
  ])('%s: names %s', (_title, input, place, reason) => {
    const p = problem(input);
    expect(p.place).toBe(place);
    expect(p.reason).toContain(reason);
  });

  it('bounds the spec: too many expectations or steps', () => {
    expect(problem({ visits: Array.from({ length: 101 }, () => ({ steps: [{ event: 'A' }] })) }).place).toBe('visits');
    expect(problem(stepsSpec(...Array.from({ length: 201 }, () => ({ event: 'A' })))).place).toBe('visits[0].steps');
  });
});

describe('parseSpecText', () => {
  it('reads the JSON text (a byte order mark allowed), names text that is not JSON at the place "", and a mistake in the spec at its place', () => {
    expect(parseSpecText('\uFEFF{"visits": [{"steps": [{"event": "SignIn"}]}]}')).toMatchObject({ ok: true, spec: { visits: [{ steps: [{ event: 'SignIn' }] }] } });
    expect(parseSpecText('{"visits": ')).toMatchObject({ ok: false, problem: { place: '', reason: expect.stringMatching(/^is not JSON/) } });
    expect(parseSpecText('{"visits": [{"steps": []}]}')).toMatchObject({ ok: false, problem: { place: 'visits[0].steps' } });
  });
});
