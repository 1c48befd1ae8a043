// The reporters of `visitor-lab check`: text for a person (words, not only marks or colour),
// JUnit XML for CI (well-formed whatever the report holds), json as is.
import { DOMParser } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { formatJson } from '../../../protocol/expectations/report-json';
import { formatJunit, xmlText } from '../../../protocol/expectations/report-junit';
import { formatText } from '../../../protocol/expectations/report-text';
import type { CheckReport } from '../../../protocol/expectations/types';

const failed: CheckReport = {
  spec: 'remembered sign-in',
  passed: false,
  scope: { run: 'r1', visits: 2 },
  results: [
    { place: 'visits[0]', name: 'visit 1', passed: true, visitId: 'v1', stepsMet: 3 },
    {
      place: 'visits[1]',
      name: 'checkout',
      passed: false,
      stepsMet: 2,
      failure: {
        place: 'visits[1].steps[2]',
        step: { event: 'SignIn', data: { email: 'pat@example.com' } },
        message: 'no SignIn with data.email "pat@example.com" after PageEntered /login',
        closestVisitId: 'v2',
        stepsMet: 2,
        found: [
          { eventName: 'PageEntered', url: 'http://shop.test/login', visitorState: 'Anonymous' },
          { eventName: 'SignIn', visitorState: 'Authenticated', data: { email: 'sam@example.com' } },
        ],
      },
    },
    { place: 'noRejected', name: 'noRejected', passed: false, failure: { message: '1 command rejected:\nSignIn e9: data.email: not an email' } },
  ],
  summary: { passed: 1, failed: 2 },
};
const held: CheckReport = {
  spec: 'home page',
  passed: true,
  scope: { visits: 1 },
  results: [{ place: 'visits[0]', name: 'visit 1', passed: true, visitId: 'v9', stepsMet: 1 }],
  summary: { passed: 1, failed: 0 },
};

describe('text', () => {
  it('a line per expectation with the mark and the word, failures indented with what was found', () => {
    const text = formatText(failed);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('✗ failed  remembered sign-in  (run r1, 2 visits)');
    expect(lines[1]).toBe('  ✓ passed  visit 1 (visits[0]): visit v1');
    expect(lines[2]).toBe('  ✗ failed  checkout (visits[1])');
    expect(lines.slice(3, 9)).toEqual([
      '      no SignIn with data.email "pat@example.com" after PageEntered /login',
      '      at visits[1].steps[2]: {"event":"SignIn","data":{"email":"pat@example.com"}}',
      '      closest visit: v2 (2 steps met)',
      '      found:',
      '        PageEntered  http://shop.test/login  state Anonymous',
      '        SignIn  state Authenticated  data {"email":"sam@example.com"}',
    ]);
    // A message of several lines stays under its expectation.
    expect(lines.slice(9, 12)).toEqual(['  ✗ failed  noRejected', '      1 command rejected:', '      SignIn e9: data.email: not an email']);
    expect(lines.at(-1)).toBe('1 passed, 2 failed');
  });

  it('a spec that holds says passed, and the scope (a visit, or everything)', () => {
    expect(formatText(held)).toBe('✓ passed  home page  (everything, 1 visit)\n  ✓ passed  visit 1 (visits[0]): visit v9\n1 passed, 0 failed\n');
    expect(formatText({ ...held, scope: { visitId: 'v9', visits: 1 } })).toContain('(visit v9, 1 visit)');
  });
});

describe('junit', () => {
  const parse = (xml: string) => {
    const errors: string[] = [];
    const doc = new DOMParser({ onError: (level, message) => void (level !== 'warning' && errors.push(message)) }).parseFromString(xml, 'text/xml');
    expect(errors).toEqual([]);
    return doc;
  };

  it('a testsuite per spec, a testcase per expectation, failures with message and details', () => {
    const doc = parse(formatJunit([failed, held]));
    const root = doc.documentElement!;
    expect(root.tagName).toBe('testsuites');
    expect([root.getAttribute('tests'), root.getAttribute('failures')]).toEqual(['4', '2']);
    const suites = Array.from(doc.getElementsByTagName('testsuite'));
    expect(suites.map((s) => [s.getAttribute('name'), s.getAttribute('tests'), s.getAttribute('failures')])).toEqual([
      ['remembered sign-in', '3', '2'],
      ['home page', '1', '0'],
    ]);
    const cases = Array.from(suites[0].getElementsByTagName('testcase'));
    expect(cases.map((c) => c.getAttribute('name'))).toEqual(['visit 1 (visits[0])', 'checkout (visits[1])', 'noRejected']);
    expect(cases[0].getElementsByTagName('failure').length).toBe(0);
    const failure = cases[1].getElementsByTagName('failure')[0];
    expect(failure.getAttribute('message')).toBe('no SignIn with data.email "pat@example.com" after PageEntered /login');
    expect(failure.textContent).toContain('closest visit: v2 (2 steps met)');
    expect(failure.textContent).toContain('SignIn  state Authenticated  data {"email":"sam@example.com"}');
    // A line break in a message attribute reads back as a line break.
    expect(cases[2].getElementsByTagName('failure')[0].getAttribute('message')).toBe('1 command rejected:\nSignIn e9: data.email: not an email');
    expect(suites[0].getElementsByTagName('property')[0].getAttribute('value')).toBe('run r1, 2 visits');
  });

  it('hostile text (markup, quotes, ]]>, control characters, lone surrogates) stays well-formed and reads back', () => {
    const nasty = `<script>"a" & 'b' ]]> </failure>`;
    const report: CheckReport = {
      spec: `spec ${nasty}`,
      passed: false,
      scope: { visits: 1 },
      results: [{ place: 'visits[0]', name: nasty, passed: false, failure: { message: `bad \u0000\u0007\uD800 ${nasty}` } }],
      summary: { passed: 0, failed: 1 },
    };
    const doc = parse(formatJunit(report));
    expect(doc.getElementsByTagName('testsuite')[0].getAttribute('name')).toBe(`spec ${nasty}`);
    const failure = doc.getElementsByTagName('failure')[0];
    expect(failure.getAttribute('message')).toBe(`bad \uFFFD\uFFFD\uFFFD ${nasty}`);
    expect(failure.textContent).toBe(`bad \uFFFD\uFFFD\uFFFD ${nasty}`);
    expect(doc.getElementsByTagName('script').length).toBe(0);
    // A surrogate pair (an emoji) is kept.
    expect(xmlText('🛒 & 🧾')).toBe('🛒 &amp; 🧾');
  });
});

describe('json', () => {
  it('is the report as is', () => {
    expect(JSON.parse(formatJson(failed))).toEqual(failed);
    expect(formatJson(held).endsWith('\n')).toBe(true);
  });
});
