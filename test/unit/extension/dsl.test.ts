import { DOMParser } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DOMAIN_MODEL } from '../../../companion/server/resources';
import { MAX_RULES_BYTES, parseRules } from '../../../extension/tracker/dsl';

// The browser's DOMParser in the tracker; xmldom's (the same W3C interface) here.
const xml = new DOMParser({ onError: () => undefined }) as unknown as Parameters<typeof parseRules>[1];
const parse = (text: string) => parseRules(text, xml);

describe('parseRules: domain-model.xml', () => {
  it("reads GWE's default file: Timeout-30 after 30 s", () => {
    expect(parse(DEFAULT_DOMAIN_MODEL)).toEqual([{ name: 'Timeout-30', action: 'timer', element: '', delay: 30000, url: '', count: 1 }]);
  });

  it('reads click triggers with their selector (a > too), url and count; one rule per trigger', () => {
    const text = `<events>
      <!-- <event name="Commented"><trigger action="click" element="a"/></event> -->
      <event id="e1" name="Search">
        <trigger name="t1" element="ul > li.buy &amp; .go" action="click" url="/shop" count="3"/>
        <trigger name='t2' element='a[ url="x"]' action='click'/>
        <val name="q" value="$('#q').val()"/>
      </event>
      <event name="Empty"/>
      <event id="OnlyId"><trigger action="timer:500"></trigger></event>
      <event name="Huge"><trigger action="timer:99999999999"/></event>
    </events>`;
    expect(parse(text)).toEqual([
      { name: 'Search', action: 'click', element: 'ul > li.buy & .go', delay: 0, url: '/shop', count: 3 },
      { name: 'Search', action: 'click', element: 'a[ url="x"]', delay: 0, url: '', count: 1 },
      { name: 'OnlyId', action: 'timer', element: '', delay: 500, url: '', count: 1 },
      { name: 'Huge', action: 'timer', element: '', delay: 2 ** 31 - 1, url: '', count: 1 },
    ]);
  });

  it('leaves out what it cannot run: other actions, a click without a selector, a nameless event', () => {
    const text = `<events>
      <event name="A"><trigger action="hover" element="a"/><trigger action="click" element=""/><trigger action="timer:abc"/></event>
      <event><trigger action="click" element="a"/></event>
    </events>`;
    expect(parse(text)).toEqual([]);
  });

  it('refuses a file that is not XML, or too large to parse on the page', () => {
    // The browser's parser answers a parsererror document, xmldom throws: refused either way.
    expect(() => parse('<events><event name="x">')).toThrow();
    expect(() => parse(`<events>${' '.repeat(MAX_RULES_BYTES)}</events>`)).toThrow(/larger than/);
  });
});
