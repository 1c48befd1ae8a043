// The junit reporter, for CI: a <testsuite> per spec, a <testcase> per expectation, a
// <failure> with the message and the details. Text is escaped for XML 1.0, and characters
// XML 1.0 cannot hold at all (most control characters, lone surrogates) become U+FFFD, so a
// hostile URL or event name in a report never makes the file unreadable.
import { failureDetails, failureMessage, scopeText } from './report-failure';
import type { CheckReport } from './types';

const NOT_XML = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text safe in element content (quotes left as they are, for a person reading the raw file). */
export function xmlText(text: string): string {
  return text.replace(NOT_XML, '\uFFFD').replace(/[&<>]/g, (c) => ENTITIES[c]);
}
/**
 * Text safe in a double- or single-quoted attribute; line breaks and tabs as character
 * references, else they read back as spaces.
 */
const attr = (text: string) =>
  xmlText(text).replace(/["']/g, (c) => ENTITIES[c]).replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');

function suite(report: CheckReport): string {
  const name = attr(report.spec);
  const cases = report.results.map((r) => {
    const open = `    <testcase classname="${name}" name="${attr(r.name === r.place ? r.place : `${r.name} (${r.place})`)}"`;
    if (r.passed) return `${open}/>`;
    const message = failureMessage(r);
    const body = [message, ...failureDetails(r)].join('\n');
    return `${open}>\n      <failure message="${attr(message)}" type="ExpectationNotMet">${xmlText(body)}</failure>\n    </testcase>`;
  });
  return [
    `  <testsuite name="${name}" tests="${report.results.length}" failures="${report.summary.failed}" errors="0" skipped="0">`,
    `    <properties><property name="scope" value="${attr(scopeText(report.scope))}"/></properties>`,
    ...cases,
    '  </testsuite>',
  ].join('\n');
}

/** One document for one spec's report or several (a suite per spec). */
export function formatJunit(reports: CheckReport | CheckReport[]): string {
  const all = Array.isArray(reports) ? reports : [reports];
  const tests = all.reduce((n, r) => n + r.results.length, 0);
  const failures = all.reduce((n, r) => n + r.summary.failed, 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="visitor-lab" tests="${tests}" failures="${failures}">`,
    ...all.map(suite),
    '</testsuites>',
    '',
  ].join('\n');
}
