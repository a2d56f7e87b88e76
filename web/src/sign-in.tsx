import { type FormEvent, useState } from 'react';
import { api, type Me } from './api.js';

export function SignIn({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError('');
    try {
      const totp = String(form.get('totp') ?? '').trim();
      onSignedIn(
        await api<Me>('/api/login', {
          name: form.get('name'),
          password: form.get('password'),
          ...(totp && { totp }),
        }),
      );
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="sign-in">
      <h1>Tearline console</h1>
      <form onSubmit={submit} aria-describedby={error ? 'sign-in-error' : undefined}>
        <label>
          User name
          <input name="name" autoComplete="username" required />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        <label>
          Code from your authenticator (if you enrolled one)
          <input name="totp" inputMode="numeric" autoComplete="one-time-code" pattern="[0-9]{6}" />
        </label>
        <button type="submit" disabled={busy}>
          Sign in
        </button>
        {error && (
          <p id="sign-in-error" className="error" role="alert">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}
