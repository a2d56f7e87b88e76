import { type FormEvent, type ReactNode, useState } from 'react';
import { api } from './api.js';

/** A form that posts to the console API and shows the answer's message or the error it got. */
export function ActionForm({
  label,
  onSubmit,
  children,
  confirm,
  testId,
}: {
  label: string;
  onSubmit: (form: FormData) => Promise<string | undefined>;
  children?: ReactNode;
  /** Asks a second time, in the page, before the change is made. */
  confirm?: string | undefined;
  testId?: string;
}) {
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const [asking, setAsking] = useState<FormData | undefined>(undefined);
  const run = async (form: FormData) => {
    setError('');
    setDone('');
    setAsking(undefined);
    try {
      setDone((await onSubmit(form)) ?? 'done');
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    if (confirm) setAsking(form);
    else void run(form);
  };
  return (
    <form className="action" onSubmit={submit} data-testid={testId}>
      {children}
      <button type="submit">{label}</button>
      {asking && (
        <span className="confirm" role="alertdialog" aria-label="Confirm">
          {confirm}{' '}
          <button type="button" onClick={() => void run(asking)}>
            Confirm
          </button>{' '}
          <button type="button" onClick={() => setAsking(undefined)}>
            Cancel
          </button>
        </span>
      )}
      {done && <output className="done">{done}</output>}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

export const field = (form: FormData, name: string) => String(form.get(name) ?? '').trim();

/** Posts and returns the answer: a thin wrapper so forms read as what they do. */
export const post = <T,>(path: string, body: unknown) => api<T>(path, body);

export function ReasonField({ label = 'Reason' }: { label?: string }) {
  return (
    <label>
      {label}
      <input name="reason" required maxLength={2000} />
    </label>
  );
}
