// The web app's frame: a skip link, the navigation, and the page the URL names.
import { useEffect, useRef } from 'preact/hooks';
import { ContactsPage } from './Contacts/ContactsPage';
import { HealthPage } from './Health/HealthPage';
import { IdentityPage } from './Identity/IdentityPage';
import { lazyPage } from './shared/lazy';
import { onLinkClick, useRoute, type Route } from './shared/router';
import { VisitPage } from './Visit/VisitPage';
import { VisitList } from './Visits/VisitList';

// The check and runs pages carry the expectations' parser and checker: loaded when opened, so
// that the visits' pages do not fetch and compile them (docs/performance.md, row 7).
const CheckPage = lazyPage(() => import('./Check/CheckPage').then((m) => m.CheckPage));
const RunList = lazyPage(() => import('./Runs/RunList').then((m) => m.RunList));
const RunPage = lazyPage(() => import('./Runs/RunPage').then((m) => m.RunPage));

function titleOf(route: Route): string {
  switch (route.page) {
    case 'visits':
      return 'Visits';
    case 'visit':
      return `Visit ${route.visitId}`;
    case 'identity':
      return `Identity ${route.identityId}`;
    case 'contacts':
      return 'Contacts';
    case 'health':
      return 'Health';
    case 'check':
      return 'Check';
    case 'runs':
      return 'Runs';
    case 'run':
      return `Run ${route.runId}`;
    default:
      return 'Not found';
  }
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'visits':
      return <VisitList query={route.query} />;
    case 'visit':
      return <VisitPage key={route.visitId} visitId={route.visitId} />;
    case 'identity':
      return <IdentityPage key={route.identityId} identityId={route.identityId} />;
    case 'contacts':
      return <ContactsPage />;
    case 'health':
      return <HealthPage />;
    case 'check':
      return <CheckPage query={route.query} />;
    case 'runs':
      return <RunList />;
    case 'run':
      return <RunPage key={route.runId} runId={route.runId} />;
    default:
      return (
        <section>
          <h1>Not found</h1>
          <p>
            Nothing here: <a href="/">back to the visits</a>.
          </p>
        </section>
      );
  }
}

export function App() {
  const route = useRoute();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  useEffect(() => {
    document.title = `${titleOf(route)} · Visitor Lab`;
    // After an in-app navigation, focus goes to the new page (as a page load would put it).
    if (!first.current) main.current?.focus();
    first.current = false;
  }, [route.page, route.page === 'visit' ? route.visitId : route.page === 'identity' ? route.identityId : route.page === 'run' ? route.runId : '']);
  const current = (page: Route['page']) => (route.page === page ? 'page' : undefined);
  return (
    <div onClick={(e) => onLinkClick(e as unknown as MouseEvent)}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <a href="/" class="brand">
          Visitor Lab
        </a>
        <nav aria-label="Main">
          <a href="/" aria-current={current('visits')}>
            Visits
          </a>
          <a href="/runs" aria-current={route.page === 'run' ? 'page' : current('runs')}>
            Runs
          </a>
          <a href="/contacts" aria-current={current('contacts')}>
            Contacts
          </a>
          <a href="/check" aria-current={current('check')}>
            Check
          </a>
          <a href="/health" aria-current={current('health')}>
            Health
          </a>
        </nav>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        <Page route={route} />
      </main>
    </div>
  );
}
