import { type FormEvent, useState } from 'react';
import { api } from './api.js';
import { useLive } from './live.js';
import { type ReceiptView, verifyReceiptInBrowser } from './receipt-verify.js';
import { ReceiptPanel } from './receipt-view.js';
import { ReportLinks } from './report-links.js';
import { useLoad } from './use-load.js';

interface Ledger {
  size: number;
  verifier_key: string | null;
  checkpoint: { size: number; note: string; signed_at: string; cosigned_by: string[] } | null;
  witnesses: { name: string; key: string; url: string }[];
}

type Verify =
  | { ok: true; entries: number; checkpoints: number }
  | { ok: false; code: string; message: string };

export function LedgerPage() {
  const live = useLive();
  const [ledger] = useLoad<Ledger>('/api/ledger', [live.queue, live.intel]);
  const [verify, setVerify] = useState<Verify | { ok: 'busy' } | undefined>();
  const [receipt, setReceipt] = useState<
    { view: ReceiptView; raw: string } | { error: string } | undefined
  >();
  const runVerify = async () => {
    setVerify({ ok: 'busy' });
    try {
      setVerify(await api<Verify>('/api/ledger/verify', {}));
    } catch (e) {
      setVerify({ ok: false, code: 'error', message: (e as Error).message });
    }
  };
  // Checked here, with the keys in the form (the hub's own by default; an overseer may paste the
  // keys its witnesses' operators gave it instead).
  const check = async (raw: string, form: FormData) => {
    const hubKey = String(form.get('hub-key') ?? '');
    const witnessKeys = String(form.get('witness-keys') ?? '')
      .split('\n')
      .map((k) => k.trim())
      .filter(Boolean);
    setReceipt({ view: await verifyReceiptInBrowser(raw, hubKey, witnessKeys), raw });
  };
  const lookUp = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const id = String(form.get('release') ?? '').trim();
    const pasted = String(form.get('pasted') ?? '').trim();
    try {
      if (pasted) return await check(pasted, form);
      const r = await api<{ index: number; receipt: unknown }>(
        `/api/ledger/receipt?release=${encodeURIComponent(id)}`,
      );
      await check(JSON.stringify(r.receipt), form);
    } catch (err) {
      setReceipt({ error: (err as Error).message });
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
              <p data-testid="cosigned-by">
                {ledger.data.checkpoint.cosigned_by.length > 0
                  ? `Cosigned by ${ledger.data.checkpoint.cosigned_by.join(', ')}.`
                  : ledger.data.witnesses.length > 0
                    ? 'Not yet cosigned by a witness.'
                    : 'The hub has no witnesses configured.'}
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
      <p>
        The receipt is checked in this browser: the hub's signature, each witness's cosignature and the
        inclusion proof, against the keys below.
      </p>
      {ledger.state === 'ok' && (
        <form onSubmit={lookUp} className="receipt-form">
          <label>
            Release id
            <input name="release" />
          </label>
          <label>
            or paste a receipt
            <textarea name="pasted" rows={3} />
          </label>
          <label>
            Hub key
            <input name="hub-key" defaultValue={ledger.data.verifier_key ?? ''} />
          </label>
          <label>
            Witness keys, one a line
            <textarea
              name="witness-keys"
              rows={Math.max(2, ledger.data.witnesses.length)}
              defaultValue={ledger.data.witnesses.map((w) => w.key).join('\n')}
            />
          </label>
          <button type="submit">Check receipt</button>
        </form>
      )}
      {receipt && 'error' in receipt && <p className="error">{receipt.error}</p>}
      {receipt && 'view' in receipt && <ReceiptPanel view={receipt.view} raw={receipt.raw} />}
      <h2>Disclosure report</h2>
      <ReportLinks />
      <p>
        <a href="/api/disclosures.csv" download="disclosures.csv">
          Download every release to every partner as CSV
        </a>
      </p>
    </>
  );
}
