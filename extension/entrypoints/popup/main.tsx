import { render } from 'preact';
import { App } from '../../popup/App';
import '../../popup/popup.css';

render(<App />, document.getElementById('app')!);
