// @vitest-environment happy-dom
// The web app's Check page: a spec's text parsed in the page (a problem names its place under
// `spec.`, as POST /lab/check's 400 does), kept in sessionStorage, and the scope in the URL.
import { afterEach, describe, expect, it } from 'vitest';
import { savedSpecText, saveSpecText, scopeOf, scopeQuery, specOfText, SPEC_STORAGE_KEY } from '../../../../companion/web/Check/spec-text';

afterEach(() => sessionStorage.clear());

describe('specOfText', () => {
  it('parses a spec, names a bad one by its place, and has nothing for no text', () => {
    expect(specOfText('{"visits": [{"steps": [{"event": "SignIn"}]}]}')).toMatchObject({ ok: true, spec: { visits: [{ steps: [{ event: 'SignIn' }] }] } });
    expect(specOfText('{"visits": [{"steps": []}]}')).toMatchObject({ ok: false, problem: { place: 'spec.visits[0].steps' } });
    expect(specOfText('{"visits": ')).toMatchObject({ ok: false, problem: { place: 'spec', reason: expect.stringMatching(/^is not JSON/) } });
    expect(specOfText('[]')).toMatchObject({ ok: false, problem: { place: 'spec' } });
    expect(specOfText('  ')).toBeNull();
  });
});

describe('the kept spec and the scope', () => {
  it('keeps the text in sessionStorage and forgets it when cleared', () => {
    saveSpecText('{"name": "a"}');
    expect(sessionStorage.getItem(SPEC_STORAGE_KEY)).toBe('{"name": "a"}');
    expect(savedSpecText()).toBe('{"name": "a"}');
    saveSpecText('');
    expect(sessionStorage.length).toBe(0);
  });

  it('reads and writes the scope as ?run= or ?visitId= (nothing for everything)', () => {
    expect(scopeOf(new URLSearchParams('run=run-1'))).toEqual({ run: 'run-1' });
    expect(scopeOf(new URLSearchParams('visitId=v%201&run='))).toEqual({ visitId: 'v 1' });
    expect(scopeOf(new URLSearchParams(''))).toEqual({});
    expect(scopeQuery({ visitId: 'v 1' })).toBe('?visitId=v+1');
    expect(scopeQuery({})).toBe('');
  });
});
