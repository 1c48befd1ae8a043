// The web app's entry: renders the app into the shell companion/server/web-app.ts serves.
import { render } from 'preact';
import './app.css';

render(<p>Visitor Lab</p>, document.getElementById('app')!);
