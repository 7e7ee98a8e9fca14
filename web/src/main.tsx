/**
 * @module main
 * Entry point of the dashboard: reads the API key, makes the API and stream clients, and renders
 * the page the hash names. Without a key it says how to get in instead of failing requests.
 */
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiClient, readApiKey } from './api.js';
import { AppContext, type AppServices } from './app-context.js';
import { AccountPage } from './pages/account-page.js';
import { AccountsPage } from './pages/accounts-page.js';
import { VenuePage } from './pages/venue-page.js';
import { BuilderPage } from './pages/builder-page.js';
import { useRoute, type Route } from './route.js';
import { StreamClient, type StreamState } from './ws.js';
import './styles.css';

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'accounts':
      return <AccountsPage />;
    case 'account':
      return (
        <AccountPage
          key={`${route.accountId}/${route.subAccountId}`}
          accountId={route.accountId}
          subAccountId={route.subAccountId}
        />
      );
    case 'venue':
      return <VenuePage />;
    case 'builder':
      return <BuilderPage query={route.query} />;
    case 'not-found':
      return (
        <p className="error-banner">
          No page at {route.hash}. <a href="#/">Accounts</a>
        </p>
      );
  }
}

function StreamIndicator({ stream }: { stream: StreamClient }) {
  const [state, setState] = useState<StreamState>(stream.state);
  useEffect(() => stream.onState(setState), [stream]);
  return (
    <span
      className={`stream stream-${state}`}
      data-testid="stream-state"
      title="Live updates over the WebSocket"
    >
      {state === 'open' ? 'live' : state}
    </span>
  );
}

function App({ services }: { services: AppServices }) {
  const route = useRoute();
  const at = route.page === 'account' ? 'accounts' : route.page;
  return (
    <AppContext.Provider value={services}>
      <nav className="top">
        <span className="brand">xmargin</span>
        <a href="#/" aria-current={at === 'accounts' ? 'page' : undefined}>
          Accounts
        </a>
        <a href="#/venue" aria-current={at === 'venue' ? 'page' : undefined}>
          Venue
        </a>
        <a href="#/builder" aria-current={at === 'builder' ? 'page' : undefined}>
          Builder
        </a>
        <StreamIndicator stream={services.stream} />
      </nav>
      <main>
        <Page route={route} />
      </main>
    </AppContext.Provider>
  );
}

function NoKey() {
  return (
    <main>
      <h1>xmargin</h1>
      <p className="error-banner">
        No API key. Open this page as <code>/?key=&lt;api key&gt;</code>; the key is kept for this tab only.
      </p>
    </main>
  );
}

const rootEl = document.getElementById('root');
if (rootEl === null) throw new Error('index.html has no #root');
const key = readApiKey();
createRoot(rootEl).render(
  <StrictMode>
    {key === null ? <NoKey /> : <App services={{ api: new ApiClient(key), stream: new StreamClient(key) }} />}
  </StrictMode>,
);
