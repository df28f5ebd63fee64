/** Entry point: mounts the app into #root and registers the offline service worker. */
import { render } from 'solid-js/web';
import { App } from './App.tsx';
import { registerServiceWorker } from './lib/registerServiceWorker.ts';
import './styles/base.css';
import './styles/layout.css';
import './styles/forms.css';
import './styles/board.css';
import './styles/cards.css';
import './styles/map.css';
import './styles/members.css';
import './styles/bookings.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
render(() => <App />, root);
registerServiceWorker();
