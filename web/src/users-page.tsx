import type { Me } from './api.js';
import { ActionForm, field, post } from './manage-forms.js';
import { useLoad } from './use-load.js';

interface User {
  name: string;
  role: string;
  enabled: boolean;
  totp: boolean;
}
interface Lock {
  key: string;
  failures: number;
  locked_at: string;
  locked_until?: string;
}
interface Key {
  key_id: string;
  user_name: string;
  role: string;
  label: string;
  created_at: string;
  revoked_at: string | null;
}

function Users({ onChanged }: { onChanged: () => void }) {
  const [data, reload] = useLoad<{ users: User[]; locks: Lock[] }>('/api/users');
  if (data.state !== 'ok') return <p>{data.state === 'error' ? data.message : 'Loading…'}</p>;
  const changed = () => {
    reload();
    onChanged();
  };
  return (
    <>
      <section className="card" aria-labelledby="users">
        <h2 id="users">Users</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col">Change</th>
            </tr>
          </thead>
          <tbody>
            {data.data.users.map((u) => (
              <tr key={u.name} data-user={u.name}>
                <td>{u.name}</td>
                <td>{u.role}</td>
                <td>
                  {u.enabled ? 'enabled' : 'disabled'}
                  {u.totp ? ', second factor' : ''}
                </td>
                <td>
                  <ActionForm
                    label={u.enabled ? 'Disable' : 'Enable'}
                    confirm={
                      u.enabled ? `Disable ${u.name}? Every session and key stops at once.` : undefined
                    }
                    onSubmit={async () => {
                      await post(`/api/users/${encodeURIComponent(u.name)}/enabled`, { enabled: !u.enabled });
                      changed();
                      return `${u.name} ${u.enabled ? 'disabled' : 'enabled'}`;
                    }}
                  />
                  <ActionForm
                    label="Reset password"
                    confirm={`Give ${u.name} a new password? Their sessions end.`}
                    onSubmit={async () => {
                      const r = await post<{ password: string }>(
                        `/api/users/${encodeURIComponent(u.name)}/password`,
                        {},
                      );
                      return `new password for ${u.name}, shown once: ${r.password}`;
                    }}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <ActionForm
          label="Add user"
          onSubmit={async (f) => {
            const r = await post<{ user: User; password: string }>('/api/users', {
              name: field(f, 'name'),
              role: field(f, 'role'),
            });
            changed();
            return `added ${r.user.name} (${r.user.role}); password, shown once: ${r.password}`;
          }}
        >
          <label>
            Name <input name="name" required pattern="[a-z][a-z0-9._-]{1,63}" />
          </label>
          <label>
            Role
            <select name="role">
              {['analyst', 'release-officer', 'oversight', 'admin'].map((r) => (
                <option key={r}>{r}</option>
              ))}
            </select>
          </label>
        </ActionForm>
      </section>
      <section className="card" aria-labelledby="locks">
        <h2 id="locks">Locked after failed sign-ins</h2>
        {data.data.locks.length === 0 && <p>Nothing is locked.</p>}
        {data.data.locks.map((l) => (
          <ActionForm
            key={l.key}
            label={`Unlock ${l.key}`}
            onSubmit={async () => {
              await post('/api/locks/unlock', { key: l.key });
              changed();
              return `unlocked ${l.key}`;
            }}
          >
            <span>
              {l.failures} failures since {l.locked_at}
              {l.locked_until ? ` (until ${l.locked_until})` : ''}
            </span>
          </ActionForm>
        ))}
      </section>
    </>
  );
}

function MyKeys({ me }: { me: Me }) {
  const [keys, reload] = useLoad<Key[]>('/api/keys');
  return (
    <section className="card" aria-labelledby="keys">
      <h2 id="keys">Your API keys</h2>
      <p className="note">
        For scripts: TEARLINE_API_KEY=… for the CLI, or Authorization: Bearer … on /api/.
      </p>
      {keys.state === 'ok' &&
        keys.data.map((k) => (
          <ActionForm
            key={k.key_id}
            label={k.revoked_at ? `Revoked ${k.revoked_at}` : `Revoke ${k.label}`}
            onSubmit={async () => {
              await post(`/api/keys/${encodeURIComponent(k.key_id)}/revoke`, {});
              reload();
              return `revoked ${k.key_id}`;
            }}
          >
            <code>{k.key_id}</code> {k.role} “{k.label}” created {k.created_at}
          </ActionForm>
        ))}
      <ActionForm
        label="Create key"
        onSubmit={async (f) => {
          const r = await post<{ secret: string }>('/api/keys', {
            label: field(f, 'label'),
            role: field(f, 'role'),
          });
          reload();
          return `key, shown once: ${r.secret}`;
        }}
      >
        <label>
          What it is for <input name="label" required maxLength={100} />
        </label>
        <label>
          Role
          <select name="role">
            <option>{me.role}</option>
            {me.role !== 'oversight' && <option value="oversight">oversight (read only)</option>}
          </select>
        </label>
      </ActionForm>
    </section>
  );
}

export function UsersPage({ me }: { me: Me }) {
  return (
    <>
      <h1>Users and keys</h1>
      {me.permissions.includes('user.manage') && <Users onChanged={() => undefined} />}
      <MyKeys me={me} />
    </>
  );
}
