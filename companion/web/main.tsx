// The web app's entry: renders the app into the shell companion/server/web-app.ts serves.
import { render } from 'preact';
import { App } from './App';
import '../../ui/timeline/timeline.css';
import './app.css';

const root = document.getElementById('app')!;
// The shell's "Loading…" line: render() would keep it beside the app.
root.textContent = '';
render(<App />, root);
