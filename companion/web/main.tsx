// The web app's entry: renders the app into the shell companion/server/web-app.ts serves.
import { render } from 'preact';
import { App } from './App';
import '../../ui/timeline/timeline.css';
import './app.css';
// The pages loaded on demand (App.tsx) have their styles here: one stylesheet for the app.
import '../../ui/expectations/checklist.css';
import './Check/check.css';
import './Runs/runs.css';

const root = document.getElementById('app')!;
// The shell's "Loading…" line: render() would keep it beside the app.
root.textContent = '';
render(<App />, root);
