import { useState } from 'react';
import { api, type Me, type Reason } from './api.js';
import { useLive } from './live.js';
import { ActionForm, post } from './manage-forms.js';
import { objectHref } from './route.js';
import { TearlineDiff } from './tearline-diff.js';
import { useLoad } from './use-load.js';

interface Item {
  id: string;
  partner: string;
  object_id: string;
  object_version: string;
  state: string;
  reasons: Reason[];
  removed: { path: string; rule: string }[];
  original: Record<string, unknown> | null;
  tearline: Record<string, unknown>;
  author: string | null;
  approvals: { approver: string; verdict: string; comment: string | null; at: string }[];
  approvals_required: number;
  age_seconds: number;
}

function Decide({ item, onDone }: { item: Item; onDone: (msg: string) => void }) {
  const [comment, setComment] = useState('');
  const [error, setError] = useState('');
  const decide = async (verdict: 'approve' | 'deny') => {
    setError('');
    try {
      const r = await api<{ state: string; approvals: number; required: number; releaseId?: string }>(
        `/api/queue/${encodeURIComponent(item.id)}/${verdict}`,
        comment.trim() ? { comment } : {},
      );
      onDone(
        `${item.object_id} for ${item.partner}: ${r.state} (${r.approvals}/${r.required} approvals)${r.releaseId ? `, release ${r.releaseId}` : ''}`,
      );
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <div className="decide">
      <label>
        Comment (required to deny)
        <textarea value={comment} onChange={(e) => setComment(e.target.value)} rows={2} />
      </label>
      <div className="buttons">
        <button type="button" className="approve" onClick={() => void decide('approve')}>
          Approve
        </button>
        <button type="button" className="deny" onClick={() => void decide('deny')} disabled={!comment.trim()}>
          Deny
        </button>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

export function QueuePage({ me }: { me: Me }) {
  const live = useLive();
  const [items, reload] = useLoad<Item[]>('/api/queue', [live.queue]);
  const [done, setDone] = useState('');
  const [partner, setPartner] = useState('');
  if (items.state === 'loading') return <p>Loading…</p>;
  if (items.state === 'error') return <p className="error">{items.message}</p>;
  const partners = [...new Set(items.data.map((i) => i.partner))].sort();
  const shown = items.data.filter((i) => !partner || i.partner === partner);
  return (
    <>
      <h1>Release queue</h1>
      {me.permissions.includes('release.run') && (
        <ActionForm
          label="Run the release pipeline now"
          onSubmit={async () => {
            const r = await post<{ released: number; queued: number; withheld: number }>(
              '/api/release/run',
              {},
            );
            reload();
            return `pipeline: ${r.released} released, ${r.queued} queued, ${r.withheld} withheld`;
          }}
        />
      )}
      <p role="status" className="done">
        {done}
      </p>
      <label className="inline">
        Partner{' '}
        <select value={partner} onChange={(e) => setPartner(e.target.value)}>
          <option value="">all ({items.data.length})</option>
          {partners.map((p) => (
            <option key={p}>{p}</option>
          ))}
        </select>
      </label>
      {shown.length === 0 && <p>Nothing waits for approval.</p>}
      {shown.map((i) => (
        <section
          key={i.id}
          className="card queue-item"
          aria-labelledby={`q-${i.id}`}
          data-object={i.object_id}
        >
          <h2 id={`q-${i.id}`}>
            <a href={objectHref(i.object_id)}>{String(i.original?.name ?? i.object_id)}</a> → {i.partner}
          </h2>
          <p>
            {i.original ? String(i.original.type) : ''} ·{' '}
            {i.approvals.filter((a) => a.verdict === 'approve').length}/{i.approvals_required} approvals ·
            waiting {Math.round(i.age_seconds / 3600)} h
          </p>
          <ul className="reasons">
            {i.reasons.map((r) => (
              <li key={r.code + r.message}>
                <code>{r.code}</code> {r.message}
              </li>
            ))}
          </ul>
          {i.approvals.length > 0 && (
            <p>
              So far:{' '}
              {i.approvals
                .map((a) => `${a.approver} (${a.verdict}${a.comment ? `: ${a.comment}` : ''})`)
                .join(', ')}
            </p>
          )}
          <details className="preview">
            <summary>
              Tearline preview: what {i.partner} would get ({i.removed.length} parts removed)
            </summary>
            <TearlineDiff original={i.original} tearline={i.tearline} removed={i.removed} />
          </details>
          {me.permissions.includes('queue.decide') && (
            <Decide
              item={i}
              onDone={(msg) => {
                setDone(msg);
                reload();
              }}
            />
          )}
        </section>
      ))}
    </>
  );
}
