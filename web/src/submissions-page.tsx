import { useState } from 'react';
import { api, type Me } from './api.js';
import { useLive } from './live.js';
import { objectHref } from './route.js';
import { StateListHead } from './state-list-head.js';
import { useLoad } from './use-load.js';
import { VerdictForm } from './verdict-form.js';

interface Submission {
  number: number;
  partner: string;
  object_id: string;
  type: string;
  name: string;
  version: string;
  received_at: string;
  state: 'pending' | 'promoted' | 'rejected';
  reviewed_by: string | null;
  reviewed_at: string | null;
  review_note: string | null;
  promoted_id: string | null;
  legacy: boolean;
}

interface Detail extends Submission {
  mapped: Record<string, unknown>;
}

const STATES = ['pending', 'promoted', 'rejected', 'all'] as const;

/** The object as the hub would hold it (the partner's derived ids mapped back), fetched when opened. */
function Content({ number }: { number: number }) {
  const [detail] = useLoad<Detail>(`/api/submissions/${number}`);
  if (detail.state === 'loading') return <p>Loading…</p>;
  if (detail.state === 'error') return <p className="error">{detail.message}</p>;
  return <pre className="json">{JSON.stringify(detail.data.mapped, null, 2)}</pre>;
}

function Review({ item, onDone }: { item: Submission; onDone: (msg: string, promoted?: string) => void }) {
  const act = async (verdict: 'yes' | 'no', reason: string) => {
    const promote = verdict === 'yes';
    const r = await api<{ promoted_id?: string }>(
      `/api/submissions/${item.number}/${promote ? 'promote' : 'reject'}`,
      promote ? {} : { reason },
    );
    onDone(
      promote
        ? `Submission ${item.number} promoted as ${r.promoted_id}`
        : `Submission ${item.number} rejected`,
      r.promoted_id,
    );
  };
  return (
    <VerdictForm noteLabel="Reason (required to reject)" yes="Promote to intel" no="Reject" onVerdict={act} />
  );
}

/**
 * What partners sent: never intel until an analyst promotes it (a new hub object that goes
 * through the release pipeline and its approvals like any other), or rejects it.
 */
export function SubmissionsPage({ me }: { me: Me }) {
  const live = useLive();
  const [state, setState] = useState<(typeof STATES)[number]>('pending');
  const [list, reload] = useLoad<{ items: Submission[]; truncated: boolean; pending: number }>(
    `/api/submissions?state=${state}`,
    [live.submissions],
  );
  const [done, setDone] = useState<{ msg: string; promoted?: string }>({ msg: '' });
  return (
    <>
      <h1>Partner submissions</h1>
      <p>
        What partners sent stays in their own space: it is never released and the pipeline never reads it,
        until an analyst promotes it to intel.
      </p>
      <p role="status" className="done">
        {done.msg}
        {done.promoted && (
          <>
            {' '}
            (<a href={objectHref(done.promoted)}>open</a>)
          </>
        )}
      </p>
      <StateListHead states={STATES} state={state} onState={setState} list={list} noun="submissions" />
      {list.state === 'ok' &&
        list.data.items.map((s) => (
          <section
            key={s.number}
            className="card submission"
            aria-labelledby={`s-${s.number}`}
            data-number={s.number}
            data-type={s.type}
          >
            <h2 id={`s-${s.number}`}>
              <span className="type">{s.type}</span> {s.name} ← {s.partner}
            </h2>
            <p>
              Received {s.received_at} · submission {s.number} · {s.state}
              {s.reviewed_by && ` by ${s.reviewed_by}`}
              {s.review_note && `: ${s.review_note}`}
              {s.legacy && ' · was intel before migration 1300: check what was released from it'}
            </p>
            {s.promoted_id && (
              <p>
                Intel: <a href={objectHref(s.promoted_id)}>{s.promoted_id}</a>
              </p>
            )}
            <details className="preview">
              <summary>Content (references mapped to the hub’s ids)</summary>
              <Content number={s.number} />
            </details>
            {s.state === 'pending' && me.permissions.includes('submission.review') && (
              <Review
                item={s}
                onDone={(msg, promoted) => {
                  setDone({ msg, ...(promoted && { promoted }) });
                  reload();
                }}
              />
            )}
          </section>
        ))}
    </>
  );
}
