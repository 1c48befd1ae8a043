// A page and its domain-model.xml using every part of GWE's DSL (contract section 5), served on
// loopback for test/e2e/rules.test.ts: events with condition and postcondition, DOM-event,
// enterkey and timer (timeout, nomove) triggers, several triggers on one event, url and count,
// event and trigger <val>s, jQuery selectors, and rules that cannot run.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const DSL_PAGE_PATH = '/dsl/page';

export const DOMAIN_MODEL = `<?xml version="1.0" encoding="utf-8"?>
<properties>
  <events>
    <!-- Two events of one name (different ids): Enter in the box, or the button. -->
    <event id="SearchByEnter" name="Search">
      <trigger name="enter" element="#q" action="enterkey" url="" count="1">
        <val name="key" value="event.key"/>
      </trigger>
      <val name="searchString" value="$('#q').val()"/>
    </event>
    <event id="SearchByButton" name="Search">
      <trigger name="button" element="form#search :submit" action="click" url="" count="1"/>
      <val name="searchString" value="$('#q').val()"/>
    </event>
    <!-- Any DOM event: change, with the matched event in the trigger's val. -->
    <event id="Size" name="SizeChosen">
      <trigger name="size" element="select#size" action="change">
        <val name="size" value="event.target.value"/>
      </trigger>
    </event>
    <!-- Several triggers: all must match. The first product hovered, then the second buy button clicked twice. -->
    <event id="Engaged" name="Engaged" condition="document.title.indexOf('DSL') >= 0">
      <trigger name="hover" element="#products li:first" action="mouseover"/>
      <trigger name="buy-twice" element="button.buy:eq(1)" action="click" count="2"/>
      <val name="product" value="$('#products li:eq(1)').text()"/>
    </event>
    <event id="Lamp" name="LampClicked">
      <trigger name="lamp" element="#products li:contains('Lamp')" action="click" url="/dsl/p[a]ge$"/>
    </event>
    <event id="Guarded" name="GuardedClick" postcondition="window.__allow === true">
      <trigger name="guarded" element="#guarded" action="click"/>
    </event>
    <!-- Never on this page: a condition that is false, a url of another page. -->
    <event id="Off" name="NeverInstalled" condition="1 === 2">
      <trigger name="soon" element="" action="timer:50" type="timeout"/>
    </event>
    <event id="Elsewhere" name="NotHere">
      <trigger name="other" element="#guarded" action="click" url="/somewhere-else"/>
    </event>
    <!-- Timers. -->
    <event id="Timeout300" name="Timeout-300" postcondition="document.hidden === false">
      <trigger name="t" element="" action="timer:300" type="timeout" url="" count="1"/>
      <val name="title" value="document.title"/>
    </event>
    <event id="Idle" name="Idle">
      <trigger name="still" element="" action="timer:700" type="nomove"/>
    </event>
    <!-- A val that throws: sent without it, with a note. -->
    <event id="Noted" name="NotedClick">
      <trigger name="noted" element="#noted" action="click"/>
      <val name="broken" value="no.such.thing"/>
      <val name="fine" value="1 + 1"/>
    </event>
    <!-- Cannot run: each reported with its reason. -->
    <event id="NoType" name="BadTimer"><trigger name="t" element="" action="timer:100"/></event>
    <event id="BadSelector" name="BadSelector"><trigger name="s" element="div[" action="click"/></event>
    <event id="BadCondition" name="BadCondition" condition="this is not javascript"><trigger name="c" element="a" action="click"/></event>
    <event id="NoTrigger" name="NoTrigger"/>
    <event id="BadAction" name="BadAction"><trigger name="a" element="a" action="on click!"/></event>
  </events>
</properties>
`;

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>DSL shop</title>
<script>var _gt = window._gt || []; _gt.push(['config', { dslResource: '/dsl/domain-model.xml' }]);</script>
</head><body>
<label>Search <input id="q" name="q"></label>
<form id="search" onsubmit="return false"><button type="submit">Go</button></form>
<label>Size <select id="size"><option>S</option><option>M</option><option>L</option></select></label>
<ul id="products"><li>Chair</li><li>Lamp</li><li>Desk</li></ul>
<button class="buy">Buy chair</button> <button class="buy">Buy lamp</button>
<button id="guarded">Guarded</button> <button id="noted">Noted</button>
</body></html>`;

export interface DslSite {
  url(path: string): string;
  close(): Promise<void>;
}

export async function startDslSite(): Promise<DslSite> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path === DSL_PAGE_PATH) res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(PAGE);
    else if (path === '/dsl/domain-model.xml') res.writeHead(200, { 'content-type': 'application/xml' }).end(DOMAIN_MODEL);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (p) => `http://127.0.0.1:${port}${p}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
