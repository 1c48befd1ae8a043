// @vitest-environment happy-dom
// GWE's DSL as the extension's tracker reads it (tracker/rules/): the model of a
// domain-model.xml with what cannot run, and `element` read as a jQuery selector.
import { DOMParser } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { parseDomainModel } from '../../../extension/tracker/rules/model';
import { jquerySelector } from '../../../extension/tracker/rules/selectors';

const xml = new DOMParser({ onError: () => undefined }) as unknown as Parameters<typeof parseDomainModel>[1];

describe('parseDomainModel', () => {
  it("reads GWE's default file and every attribute of event, trigger and val", () => {
    const { events, problems } = parseDomainModel(
      `<properties><events>
        <event id="TimeoutEvent30" name="Timeout-30" condition="" postcondition="document.hasFocus() === true">
          <trigger name="TimeoutTrigger" element="" action="timer:30000" type="timeout" url="" count="1" />
        </event>
        <event id="S" name="Search" condition="true">
          <trigger name="k" element="#q" action="enterkey"><val name="key" value="event.key"/></trigger>
          <trigger name="c" element="button" action="Click" url="/shop" count="2"/>
          <val name="q" value="$('#q').val()"/>
        </event>
        <event id="Idle" name="Idle"><trigger name="n" action="timer:5" type="nomove"/></event>
      </events></properties>`,
      xml,
    );
    expect(problems).toEqual([]);
    expect(events[0]).toEqual({
      id: 'TimeoutEvent30',
      name: 'Timeout-30',
      condition: '',
      postcondition: 'document.hasFocus() === true',
      triggers: [{ name: 'TimeoutTrigger', element: '', action: { kind: 'timer', ms: 30000, type: 'timeout' }, url: '', count: 1, vals: [] }],
      vals: [],
    });
    expect(events[1].triggers.map((t) => [t.action, t.count, t.url, t.vals])).toEqual([
      [{ kind: 'enterkey' }, 1, '', [{ name: 'key', value: 'event.key' }]],
      [{ kind: 'dom', type: 'click' }, 2, '/shop', []],
    ]);
    expect(events[1].vals).toEqual([{ name: 'q', value: "$('#q').val()" }]);
    expect(events[2].triggers[0].action).toEqual({ kind: 'timer', ms: 5, type: 'nomove' });
  });

  it('what cannot run is listed with the reason, and its event left out', () => {
    const { events, problems } = parseDomainModel(
      `<events>
        <event id="a" name="A"><trigger name="t" action="timer:10"/></event>
        <event id="b" name="B"><trigger name="t" action="click"/></event>
        <event id="c" name="C"><trigger name="t" element="a" action="two words"/></event>
        <event id="d" name="D"/>
        <event><trigger action="timer:1" type="timeout"/></event>
        <event id="e" name="E"><trigger name="t" element="a" action="click" count="zero"/><val value="1"/></event>
      </events>`,
      xml,
    );
    expect(events.map((e) => e.id)).toEqual(['e']);
    expect(problems).toEqual([
      { rule: 'a', reason: 'trigger t: timer type must be timeout or nomove (got "")' },
      { rule: 'b', reason: 'trigger t: a click trigger needs an element' },
      { rule: 'c', reason: 'trigger t: action "two words" is not a DOM event name, enterkey or timer:N' },
      { rule: 'd', reason: 'the event has no trigger' },
      { rule: '(no id)', reason: 'the event has neither name nor id' },
      { rule: 'e', reason: 'trigger t: count "zero" is not a whole number from 1; 1 is used' },
      { rule: 'e', reason: 'a <val> without a name is left out' },
    ]);
    expect(() => parseDomainModel('<events><event>', xml)).toThrow();
  });
});

describe('jquerySelector: element as GWE (jQuery) reads it', () => {
  document.body.innerHTML = `<form><input id="q" type="text"><select id="s"></select><button id="go">Go</button><input type="checkbox" id="c"></form>
    <ul><li id="l1">Chair</li><li id="l2">Lamp <b id="bold">new</b></li><li id="l3">Desk</li></ul><h2 id="h">Title</h2>`;
  const ids = (sel: string) => jquerySelector(sel, document).all(document).map((e) => e.id);

  it("jQuery's own pseudo-classes become CSS", () => {
    expect(ids(':input')).toEqual(['q', 's', 'go', 'c']);
    expect(ids('form :submit')).toEqual(['go']);
    expect(ids(':text')).toEqual(['q']);
    expect(ids(':checkbox')).toEqual(['c']);
    expect(ids(':header')).toEqual(['h']);
  });

  it('filters at the end: :first, :last, :eq(), :gt(), :lt(), :even, :odd, :contains()', () => {
    expect(ids('li:first')).toEqual(['l1']);
    expect(ids('li:last')).toEqual(['l3']);
    expect(ids('li:eq(1)')).toEqual(['l2']);
    expect(ids('li:eq(-1)')).toEqual(['l3']);
    expect(ids('li:gt(0)')).toEqual(['l2', 'l3']);
    expect(ids('li:lt(2)')).toEqual(['l1', 'l2']);
    expect(ids('li:even')).toEqual(['l1', 'l3']);
    expect(ids('li:odd')).toEqual(['l2']);
    expect(ids('li:contains("Lamp")')).toEqual(['l2']);
    expect(ids("li:contains('Desk'), #h")).toEqual(['l3', 'h']);
  });

  it('holding(): the selected element that is, or holds, an event target', () => {
    const lamp = jquerySelector("li:contains('Lamp')", document);
    expect(lamp.holding(document, document.getElementById('bold'))?.id).toBe('l2');
    expect(lamp.holding(document, document.getElementById('l1'))).toBeUndefined();
    expect(jquerySelector('ul li', document).holding(document, document.getElementById('bold'))?.id).toBe('l2');
  });

  it('refuses, with the reason, what the page cannot read', () => {
    expect(() => jquerySelector('div[', document)).toThrow();
    expect(() => jquerySelector('li:first b', document)).toThrow(/only at the end of a selector/);
    expect(() => jquerySelector('', document)).toThrow(/empty selector/);
  });
});
