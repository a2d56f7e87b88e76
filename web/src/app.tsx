import { useCallback, useEffect, useState } from 'react';
import { ApiError, api, type Me, setCsrf } from './api.js';
import { AuditPage } from './audit-page.js';
import { DraftsPage } from './drafts-page.js';
import { IntelPage } from './intel-page.js';
import { LedgerPage } from './ledger-page.js';
import { LiveContext, useLiveStamps } from './live.js';
import { ObjectPage } from './object-page.js';
import { PartnersPage } from './partners-page.js';
import { QueuePage } from './queue-page.js';
import { useRoute } from './route.js';
import { SettingsPage } from './settings-page.js';
import { SignIn } from './sign-in.js';
import { SubmissionsPage } from './submissions-page.js';
import { ThreatPage } from './threat-page.js';
import { UsersPage } from './users-page.js';

const PAGES = [
  ['threat', 'Threat picture'],
  ['intel', 'Intel'],
  ['partners', 'Partners'],
  ['queue', 'Release queue'],
  ['submissions', 'Submissions'],
  ['drafts', 'Drafts'],
  ['audit', 'Audit trail'],
  ['ledger', 'Ledger'],
  ['users', 'Users and keys'],
  ['settings', 'Settings'],
] as const;

/** What a failed /api/me says: only a 401 means "sign in"; anything else is an error to show. */
function loadFailure(e: unknown): string | null {
  if (e instanceof ApiError) return e.status === 401 ? null : `${e.message} (HTTP ${e.status})`;
  return `the hub could not be reached: ${e instanceof Error ? e.message : String(e)}`;
}

export function App() {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [failure, setFailure] = useState<string | undefined>(undefined);
  const route = useRoute();
  const live = useLiveStamps(Boolean(me));

  const load = useCallback(() => {
    setFailure(undefined);
    setMe(undefined);
    api<Me>('/api/me').then(
      (m) => {
        setCsrf(m.csrf);
        setMe(m);
      },
      (e: unknown) => {
        const message = loadFailure(e);
        if (message === null) setMe(null);
        else setFailure(message);
      },
    );
  }, []);
  useEffect(load, [load]);

  if (failure !== undefined)
    return (
      <div className="load-failure" role="alert">
        <h1>The console could not load</h1>
        <p className="error">{failure}</p>
        <button type="button" onClick={load}>
          Try again
        </button>
      </div>
    );
  if (me === undefined) return <p className="loading">Loading…</p>;
  if (me === null)
    return (
      <SignIn
        onSignedIn={(m) => {
          setCsrf(m.csrf);
          setMe(m);
        }}
      />
    );

  const signOut = async () => {
    await api('/api/logout', {}).catch(() => undefined);
    setMe(null);
  };

  return (
    <LiveContext.Provider value={live}>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <strong className="brand">Tearline</strong>
        <nav aria-label="Main">
          <ul className="nav-list">
            {PAGES.map(([page, label]) => (
              <li key={page}>
                <a href={`#/${page}`} aria-current={route.page === page ? 'page' : undefined}>
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <span className="who">
          {me.name} <span className="role">({me.role})</span>
        </span>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <p className="live" role="status" aria-live="polite">
        {live.last}
      </p>
      <main id="main" tabIndex={-1}>
        {route.page === 'threat' && <ThreatPage actor={route.params.get('actor') ?? undefined} />}
        {route.page === 'intel' && <IntelPage params={route.params} />}
        {route.page === 'object' && <ObjectPage id={route.arg} />}
        {route.page === 'partners' && <PartnersPage me={me} />}
        {route.page === 'queue' && <QueuePage me={me} />}
        {route.page === 'submissions' && <SubmissionsPage me={me} />}
        {route.page === 'drafts' && <DraftsPage me={me} id={route.arg} />}
        {route.page === 'audit' && <AuditPage me={me} params={route.params} />}
        {route.page === 'ledger' && <LedgerPage />}
        {route.page === 'users' && <UsersPage me={me} />}
        {route.page === 'settings' && <SettingsPage />}
      </main>
    </LiveContext.Provider>
  );
}
