// The DevTools page (manifest devtools_page, no UI of its own): adds the "Visitor Lab" panel,
// whose page (timeline.html) shows the inspected tab (devtools.inspectedWindow.tabId).
import { browser } from 'wxt/browser';

void browser.devtools.panels.create('Visitor Lab', '', '/timeline.html');
