// The full view of a tab's visit: the DevTools panel's page (the inspected tab) and the tab the
// popup opens (timeline.html?tabId=N).
import { render } from 'preact';
import { Panel } from '../../panel/Panel';
import '../../../ui/timeline/timeline.css';
import '../../popup/popup.css';
import '../../panel/panel.css';

render(<Panel />, document.getElementById('app')!);
