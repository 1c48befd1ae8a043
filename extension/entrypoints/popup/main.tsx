import { render } from 'preact';
import { App } from '../../popup/App';
import { prefetchTabView } from '../../popup/hooks';
import { TIMELINE_PAGE } from '../../popup/Timeline/Timeline';
import '../../../ui/timeline/timeline.css';
import '../../popup/popup.css';

// The first screen's data, asked for before the first render (App asks the same).
if (!new URLSearchParams(location.search).has('helper')) prefetchTabView(TIMELINE_PAGE);
render(<App />, document.getElementById('app')!);
