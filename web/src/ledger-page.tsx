import { type FormEvent, useState } from 'react';
import { api } from './api.js';
import { useLive } from './live.js';
import { useLoad } from './use-load.js';

interface Ledger {
  size: number;
  verifier_key: string | null;
  checkpoint: { size: number; note: string; signed_at: string } | null;
}

type Verify =
  | { ok: true; entries: number; checkpoints: number }
  | { ok: false; code: string; message: string };

export function LedgerPage() {
  const live = useLive();
  const [ledger] = useLoad<Ledger>('/api/ledger', [live.queue, live.intel]);
  const [verify, setVerify] = useState<Verify | { ok: 'busy' } | undefined>();
  const [receipt, setReceipt] = useState('');
  const runVerify = async () => {
    setVerify({ ok: 'busy' });
    try {
      setVerify(await api<Verify>('/api/ledger/verify', {}));
    } catch (e) {
      setVerify({ ok: false, code: 'error', message: (e as Error).message });
    }
  };
  const lookUp = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const id = String(new FormData(e.currentTarget).get('release') ?? '').trim();
    try {
      const r = await api<{ index: number; receipt: unknown }>(
        `/api/ledger/receipt?release=${encodeURIComponent(id)}`,
      );
      setReceipt(`entry ${r.index}\n${JSON.stringify(r.receipt, null, 2)}`);
    } catch (err) {
      setReceipt(`error: ${(err as Error).message}`);
    }
  };
  return (
    <>
      <h1>Disclosure ledger</h1>
      {ledger.state === 'error' && <p className="error">{ledger.message}</p>}
      {ledger.state === 'ok' && (
        <>
          <p>{ledger.data.size} entries.</p>
          <h2>Latest checkpoint</h2>
          {ledger.data.checkpoint ? (
            <>
              <p>
                Size {ledger.data.checkpoint.size}, signed {ledger.data.checkpoint.signed_at}
              </p>
              <pre className="note">{ledger.data.checkpoint.note}</pre>
            </>
          ) : (
            <p>No checkpoint signed yet.</p>
          )}
          <h2>Verifier key</h2>
          <pre className="note">{ledger.data.verifier_key ?? 'the hub has no ledger key'}</pre>
        </>
      )}
      <h2>Verify</h2>
      <p>The server recomputes the whole tree and checks every hash and signed checkpoint.</p>
      <button type="button" onClick={runVerify} disabled={verify?.ok === 'busy'}>
        Verify the ledger
      </button>
      <p
        role="status"
        data-testid="verify-result"
        className={verify?.ok === true ? 'good' : verify?.ok === false ? 'error' : ''}
      >
        {verify?.ok === true &&
          `Verified: ${verify.entries} entries and ${verify.checkpoints} checkpoints are consistent and signed.`}
        {verify?.ok === false && `Verification failed: ${verify.message}`}
        {verify?.ok === 'busy' && 'Verifying…'}
      </p>
      <h2>Receipt of a release</h2>
      <form onSubmit={lookUp} className="inline-form">
        <label>
          Release id
          <input name="release" required />
        </label>
        <button type="submit">Look up</button>
      </form>
      {receipt && <pre className="note">{receipt}</pre>}
      <h2>Disclosure report</h2>
      <p>
        <a href="/api/disclosures.csv" download="disclosures.csv">
          Download every release as CSV
        </a>
      </p>
    </>
  );
}
