import { useLive } from './live.js';
import { useLoad } from './use-load.js';

interface Settings {
  untagged_tlp: string | null;
  untagged_where: string;
  operator_policies: string[];
  forbidden_rules: string[];
  profiles: { name: string; built_in: boolean; unmarked_level: string; statement_markings: string }[];
  files: string[];
  digest: string;
  loaded_at: string;
  error: { message: string; at: string } | null;
}

/** The hub's release settings in force: serve re-reads them when a file changes or on SIGHUP. */
export function SettingsPage() {
  const live = useLive();
  const [s] = useLoad<Settings>('/api/settings', [live.settings]);
  if (s.state === 'loading') return <p>Loading…</p>;
  if (s.state === 'error') return <p className="error">{s.message}</p>;
  const d = s.data;
  return (
    <>
      <h1>Settings</h1>
      <p>
        Read at <time dateTime={d.loaded_at}>{d.loaded_at}</time> from {d.files.length} file(s); every
        decision since is made by these. A change to a file is read within a second (or send the hub SIGHUP)
        and decides every item again.
      </p>
      {d.error && (
        <p className="error" role="alert" data-testid="settings-error">
          The files changed at {d.error.at} but do not load, so the settings below stay in force:{' '}
          {d.error.message}
        </p>
      )}
      <section className="card" aria-labelledby="untagged-h">
        <h2 id="untagged-h">Objects without a TLP marking</h2>
        <p data-testid="untagged">
          {d.untagged_tlp
            ? `count as TLP:${d.untagged_tlp.toUpperCase()}`
            : 'are withheld (marking-missing): the hub sets no default'}
        </p>
        <p className="muted">
          Set it with {d.untagged_where}, or give a marking at import (tearline import --marking).
        </p>
      </section>
      <section className="card" aria-labelledby="rules-h">
        <h2 id="rules-h">Rules</h2>
        <p>Operator policies: {d.operator_policies.length ? d.operator_policies.join(', ') : 'none'}</p>
        <p>Forbidden-term rules: {d.forbidden_rules.length ? d.forbidden_rules.join(', ') : 'none'}</p>
      </section>
      <section className="card" aria-labelledby="profiles-h">
        <h2 id="profiles-h">Sanitisation profiles</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">Profile</th>
              <th scope="col">Unmarked objects count as</th>
              <th scope="col">Statement markings</th>
            </tr>
          </thead>
          <tbody>
            {d.profiles.map((p) => (
              <tr key={p.name}>
                <td>
                  {p.name}
                  {p.built_in ? ' (built in)' : ''}
                </td>
                <td>TLP:{p.unmarked_level.toUpperCase()}</td>
                <td>{p.statement_markings}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
