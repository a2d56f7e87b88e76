import { useEffect, useState } from 'react';
import type { BulkOutcome, CombinedDiff } from '../../src/store/console-shapes.js';
import { api } from './api.js';

/** What a bulk action covers: one partner's open items, chosen ones or all matching filters. */
export interface BulkSelection {
  partner: string;
  ids?: string[];
  group?: string;
  types?: string[];
  labels?: string[];
}

/** Items listed in the confirmation; the totals above them cover the whole selection. */
const LISTED = 200;

export function describeOutcome(partner: string, r: BulkOutcome): string {
  const parts = [
    `${r.released} released`,
    `${r.approved} approved, waiting for what they reference`,
    `${r.pending} waiting for another officer`,
    `${r.denied} denied`,
  ];
  const refused = r.refused.length > 0 ? `; ${r.refused.length} refused (${r.refused[0]?.message})` : '';
  return `Decided ${r.decided} items for ${partner}: ${parts.join(', ')}${refused}`;
}

/**
 * The one confirmation of a bulk action: the combined tearline diff of the selection (every
 * item's removals, totals by rule and by type), then approve or deny all of it. The decision
 * names the digest of what was shown; the server refuses it if any item changed meanwhile.
 */
export function BulkConfirm(props: {
  selection: BulkSelection;
  canDecide: boolean;
  onClose: (msg?: string) => void;
}) {
  const [diff, setDiff] = useState<CombinedDiff | undefined>();
  const [error, setError] = useState('');
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [tick, setTick] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: tick re-reads the selection after a refusal
  useEffect(() => {
    let live = true;
    api<CombinedDiff>('/api/queue/bulk/preview', props.selection).then(
      (d) => live && setDiff(d),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [props.selection, tick]);
  const decide = async (verdict: 'approve' | 'deny') => {
    if (!diff) return;
    setBusy(true);
    setError('');
    try {
      const r = await api<BulkOutcome>(`/api/queue/bulk/${verdict}`, {
        ...props.selection,
        digest: diff.digest,
        ...(comment.trim() && { comment }),
      });
      props.onClose(describeOutcome(props.selection.partner, r));
    } catch (e) {
      setError((e as Error).message);
      setTick((t) => t + 1);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card bulk-confirm" role="dialog" aria-label="Confirm the bulk decision">
      <h2>
        {diff
          ? `${diff.count} items for ${props.selection.partner}`
          : `Reading the selection for ${props.selection.partner}…`}
      </h2>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {diff && (
        <>
          <p data-testid="bulk-totals">
            By type:{' '}
            {Object.entries(diff.by_type)
              .map(([t, n]) => `${t} ${n}`)
              .join(', ')}
            . Removed by rule:{' '}
            {Object.keys(diff.by_rule).length === 0
              ? 'nothing'
              : Object.entries(diff.by_rule)
                  .map(([r, n]) => `${r} ${n}`)
                  .join(', ')}
            .
          </p>
          <ul className="bulk-items" data-testid="bulk-diff">
            {diff.items.slice(0, LISTED).map((i) => (
              <li key={i.id}>
                <strong>{i.title}</strong> ({i.type}, {i.approvals}/{i.approvals_required} approvals)
                {i.removed.length > 0 && (
                  <ul>
                    {i.removed.map((r) => (
                      <li key={r.path + r.rule} className="diff-removed">
                        <code>{r.path}</code>: {r.rule}
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ul>
          {diff.count > LISTED && <p>and {diff.count - LISTED} more items, counted in the totals above.</p>}
          {props.canDecide && (
            <div className="decide">
              <label>
                Comment (required to deny)
                <textarea value={comment} onChange={(e) => setComment(e.target.value)} rows={2} />
              </label>
              <div className="buttons">
                <button
                  type="button"
                  className="approve"
                  disabled={busy}
                  onClick={() => void decide('approve')}
                >
                  Approve all {diff.count}
                </button>
                <button
                  type="button"
                  className="deny"
                  disabled={busy || !comment.trim()}
                  onClick={() => void decide('deny')}
                >
                  Deny all {diff.count}
                </button>
              </div>
            </div>
          )}
        </>
      )}
      <button type="button" onClick={() => props.onClose()}>
        Cancel
      </button>
    </section>
  );
}
