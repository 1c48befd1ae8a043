// The rules that hold back a tracked site's own GWE loader, the user's patterns, and how the
// page's script addresses are read against them.
import { describe, expect, it } from 'vitest';
import { checkPatterns, GWE_DSL_REGEX, GWE_LOADER_FILTERS, heldBackAmong, loaderRules, patternProblem, urlFilterRegExp } from '../../../extension/worker/site-loader';

describe('loaderRules', () => {
  it('blocks the loader scripts and opens the rules file, for pages of the tracked hosts only', () => {
    const rules = loaderRules(['127.0.0.1', 'shop.test'], ['||cdn.test/gwe.js']);
    const block = rules.filter((r) => r.action.type === 'block');
    expect(block.map((r) => r.condition.urlFilter)).toEqual([...GWE_LOADER_FILTERS, '||cdn.test/gwe.js']);
    for (const r of rules) expect(r.condition.initiatorDomains).toEqual(['127.0.0.1', 'shop.test']);
    for (const r of block) expect(r.condition.resourceTypes).toEqual(['script']);
    const cors = rules.filter((r) => r.action.type === 'modifyHeaders');
    expect(cors.length).toBeGreaterThan(0);
    for (const r of cors) {
      expect(r.condition.resourceTypes).toEqual(['xmlhttprequest']);
      expect(r.action.responseHeaders).toEqual([{ header: 'access-control-allow-origin', operation: 'set', value: '*' }]);
    }
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
  });

  it("opens a rules file's answer by its path, never for a query string that names one", () => {
    const re = new RegExp(GWE_DSL_REGEX);
    expect(re.test('http://gwe.test:9081/server/resources/dsl/domain-model.xml')).toBe(true);
    expect(re.test('https://gwe.test/server/resources/dsl/shop-rules.xml?v=3')).toBe(true);
    expect(re.test('https://cdn.test/rules/domain-model.xml')).toBe(true);
    expect(re.test('http://127.0.0.1:9081/server/data/visits?x=domain-model.xml')).toBe(false);
    expect(re.test('http://127.0.0.1:9081/server/data/visits#/server/resources/dsl/a.xml')).toBe(false);
    expect(re.test('http://gwe.test/server/resources/dsl/secrets.json')).toBe(false);
  });

  it('no tracked host, no rule (an empty initiatorDomains would mean every site)', () => {
    expect(loaderRules([], ['||cdn.test/gwe.js'])).toEqual([]);
  });
});

describe('user patterns', () => {
  it('takes urlFilter patterns, trimmed, without repeats', () => {
    expect(checkPatterns([' ||gwe.test/GPE.js ', '||gwe.test/GPE.js', '/js/tracker.js|'])).toEqual({ ok: true, patterns: ['||gwe.test/GPE.js', '/js/tracker.js|'] });
  });

  it('names the pattern it refuses, and why', () => {
    expect(checkPatterns('x')).toMatchObject({ ok: false, field: 'patterns' });
    expect(checkPatterns(['/ok/path.js', '*'])).toMatchObject({ ok: false, field: 'patterns[1]' });
    expect(patternProblem('')).toMatch(/empty/);
    expect(patternProblem('||*.test/a.js')).toMatch(/\|\|\*/);
    expect(patternProblem('/a b.js')).toMatch(/ASCII/);
    expect(patternProblem('/gwé.js')).toMatch(/ASCII/);
    expect(patternProblem(3)).toMatch(/text/);
    expect(patternProblem('x'.repeat(301))).toMatch(/longer/);
    expect(checkPatterns(Array.from({ length: 21 }, (_, i) => `/p${i}/a.js`))).toMatchObject({ ok: false, field: 'patterns' });
  });
});

describe('urlFilterRegExp (reading the page as the rules do)', () => {
  it('matches anywhere by default, case-insensitively', () => {
    const re = urlFilterRegExp('/server/resources/js/build/GPE.min.js');
    expect(re.test('https://gwe.example.com:9443/server/resources/js/build/GPE.min.js?v=2')).toBe(true);
    expect(re.test('http://gwe.example.com/server/resources/js/build/gpe.min.js')).toBe(true);
    expect(re.test('http://gwe.example.com/server/resources/js/build/GPExmin.js')).toBe(false);
  });

  it('|| anchors at a domain, | at the start or end, * is anything, ^ a separator', () => {
    const domain = urlFilterRegExp('||gwe.test^');
    expect(domain.test('https://gwe.test/x.js')).toBe(true);
    expect(domain.test('https://a.gwe.test:8080/x.js')).toBe(true);
    expect(domain.test('https://notgwe.test/x.js')).toBe(false);
    expect(domain.test('https://gwe.tester/x.js')).toBe(false);
    expect(urlFilterRegExp('|https://a.test/').test('http://b.test/?u=https://a.test/')).toBe(false);
    expect(urlFilterRegExp('.js|').test('https://a.test/x.js?v=1')).toBe(false);
    expect(urlFilterRegExp('/js/*/GPE').test('https://a.test/js/8.5/GPE.min.js')).toBe(true);
  });

  it('heldBackAmong keeps the page scripts the rules cover, once each', () => {
    const srcs = ['http://gwe.test/server/resources/js/build/GPE.min.js', 'http://site.test/app.js', 'http://gwe.test/server/resources/js/build/GPE.min.js', 'http://cdn.test/own/loader.js'];
    expect(heldBackAmong(srcs, [])).toEqual(['http://gwe.test/server/resources/js/build/GPE.min.js']);
    expect(heldBackAmong(srcs, ['||cdn.test/own/'])).toEqual(['http://gwe.test/server/resources/js/build/GPE.min.js', 'http://cdn.test/own/loader.js']);
  });
});
