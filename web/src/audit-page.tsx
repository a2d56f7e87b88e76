import { type FormEvent, useState } from 'react';
import type { AuditRow as AuditEntry } from '../../src/store/console-shapes.js';
import { api, type Me } from './api.js';
import { useLive } from './live.js';
import { Pager } from './pager.js';
import { type ReceiptView, verifyReceiptInBrowser } from './receipt-verify.js';
import { ReceiptPanel } from './receipt-view.js';
import { useLoad } from './use-load.js';

interface AuditPage {
  open: boolean;
  total: number;
  page: number;
  pages: number;
  entries: AuditEntry[];
}

const KINDS = [
  'release',
  'approval',
  'denial',
  'recall',
  'ingest-batch',
  'agreement-change',
  'condition-change',
  'partner-change',
  'user-change',
  'submission-review',
  'key-rotation',
  'delivery',
];
const FILTERS = ['kind', 'partner', 'actor', 'from', 'to'] as const;

/**
 * The ledger as a trail to read: every entry in words, newest first. Overseers see entries
 * opened (who did it, for which partner, approved by whom) and may export them; everyone else
 * sees what a receipt shows. A release's receipt is checked here, in the browser.
 */
export function AuditPage({ me, params }: { me: Me; params: URLSearchParams }) {
  const live = useLive();
  // As the server decides (api-audit.ts): openings are for the oversight role alone.
  const audit = me.permissions.includes('ledger.audit') && me.role === 'oversight';
  const query = new URLSearchParams();
  for (const f of FILTERS) {
    const v = params.get(f);
    if (v) query.set(f, v);
  }
  const page = Number(params.get('page') ?? '1') || 1;
  const [list] = useLoad<AuditPage>(`/api/ledger/entries?${query}&page=${page}&per_page=25`, [
    live.queue,
    live.intel,
  ]);
  const [ledger] = useLoad<{ verifier_key: string | null; witnesses: { key: string }[] }>('/api/ledger');
  const [receipt, setReceipt] = useState<
    { view: ReceiptView; raw: string } | { error: string } | undefined
  >();

  const go = (next: URLSearchParams, to = 1) => {
    next.set('page', String(to));
    window.location.hash = `#/audit?${next}`;
  };
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const next = new URLSearchParams();
    for (const f of FILTERS) {
      const v = String(form.get(f) ?? '').trim();
      if (v) next.set(f, v);
    }
    go(next);
  };
  const check = async (releaseId: string) => {
    try {
      const r = await api<{ receipt: unknown }>(
        `/api/ledger/receipt?release=${encodeURIComponent(releaseId)}`,
      );
      const raw = JSON.stringify(r.receipt);
      const keys = ledger.state === 'ok' ? ledger.data : { verifier_key: '', witnesses: [] };
      setReceipt({
        raw,
        view: await verifyReceiptInBrowser(
          raw,
          keys.verifier_key ?? '',
          keys.witnesses.map((w) => w.key),
        ),
      });
    } catch (err) {
      setReceipt({ error: (err as Error).message });
    }
  };

  return (
    <>
      <h1>Audit trail</h1>
      <p>
        {audit
          ? 'Every ledger entry, opened: who did what, for which partner, approved by whom.'
          : 'Every ledger entry as a receipt shows it; who did what is for oversight.'}
      </p>
      <form className="search audit-filters" onSubmit={submit} key={query.toString()}>
        <label>
          Kind
          <select name="kind" defaultValue={params.get('kind') ?? ''}>
            <option value="">any</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
        {audit && (
          <>
            <label>
              Partner
              <input name="partner" defaultValue={params.get('partner') ?? ''} />
            </label>
            <label>
              Actor
              <input name="actor" defaultValue={params.get('actor') ?? ''} />
            </label>
          </>
        )}
        <label>
          From
          <input name="from" type="date" defaultValue={params.get('from')?.slice(0, 10) ?? ''} />
        </label>
        <label>
          Before
          <input name="to" type="date" defaultValue={params.get('to')?.slice(0, 10) ?? ''} />
        </label>
        <button type="submit">Filter</button>
      </form>
      {audit && (
        <p className="exports">
          <a href={`/api/ledger/entries.csv?${query}`} download="ledger-entries.csv">
            Export as CSV
          </a>{' '}
          ·{' '}
          <a href={`/api/ledger/entries.json?${query}`} download="ledger-entries.signed.json">
            Export as signed JSON
          </a>
        </p>
      )}
      {list.state === 'error' && (
        <p className="error" role="alert">
          {list.message}
        </p>
      )}
      {list.state === 'ok' && (
        <>
          <div className="scroll">
            <table data-testid="audit-list">
              <caption>
                {list.data.total} {list.data.total === 1 ? 'entry' : 'entries'}
              </caption>
              <thead>
                <tr>
                  <th>#</th>
                  <th>Time (UTC)</th>
                  <th>Kind</th>
                  {list.data.open && <th>By</th>}
                  <th>What happened</th>
                  <th>Receipt</th>
                </tr>
              </thead>
              <tbody>
                {list.data.entries.map((e) => (
                  <tr key={e.index} data-kind={e.kind} className={e.readable ? '' : 'error'}>
                    <td>{e.index}</td>
                    <td>{e.time.replace('T', ' ').replace(/\.\d+Z$/, '')}</td>
                    <td>{e.kind}</td>
                    {list.data.open && <td>{e.actor}</td>}
                    <td data-testid="sentence">{e.sentence}</td>
                    <td>
                      {e.kind === 'release' && typeof e.entry.release_id === 'string' && (
                        <button type="button" onClick={() => check(e.entry.release_id as string)}>
                          Check
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager
            page={list.data.page}
            pages={list.data.pages}
            total={list.data.total}
            onPage={(p) => go(new URLSearchParams(query), p)}
          />
        </>
      )}
      {receipt && 'error' in receipt && <p className="error">{receipt.error}</p>}
      {receipt && 'view' in receipt && <ReceiptPanel view={receipt.view} raw={receipt.raw} />}
    </>
  );
}
