import { describe, expect, it } from 'vitest';
import { parseRules } from '../../../extension/tracker/dsl';
import { DEFAULT_DOMAIN_MODEL } from '../../../companion/server/resources';

describe('parseRules: domain-model.xml', () => {
  it("reads GWE's default file: Timeout-30 after 30 s", () => {
    expect(parseRules(DEFAULT_DOMAIN_MODEL)).toEqual([
      { name: 'Timeout-30', action: 'timer', element: '', delay: 30000, url: '', count: 1 },
    ]);
  });

  it('reads click triggers with their selector, url and count; one rule per trigger', () => {
    const xml = `<events>
      <event id="e1" name="Search">
        <trigger name="t1" element="#search &amp; .go" action="click" url="/shop" count="3"/>
        <trigger name='t2' element='form button' action='click'/>
        <val name="q" value="$('#q').val()"/>
      </event>
      <event id="OnlyId"><trigger action="timer:500"></trigger></event>
    </events>`;
    expect(parseRules(xml)).toEqual([
      { name: 'Search', action: 'click', element: '#search & .go', delay: 0, url: '/shop', count: 3 },
      { name: 'Search', action: 'click', element: 'form button', delay: 0, url: '', count: 1 },
      { name: 'OnlyId', action: 'timer', element: '', delay: 500, url: '', count: 1 },
    ]);
  });

  it('leaves out what it cannot run: other actions, a click without a selector, a nameless event', () => {
    const xml = `<events>
      <event name="A"><trigger action="hover" element="a"/><trigger action="click" element=""/><trigger action="timer:abc"/></event>
      <event><trigger action="click" element="a"/></event>
    </events>`;
    expect(parseRules(xml)).toEqual([]);
    expect(parseRules('not xml at all')).toEqual([]);
  });
});
