import { useState } from 'react';
import { api, type Reason } from './api.js';
import { objectHref } from './route.js';
import { TearlineDiff } from './tearline-diff.js';
import { useLoad } from './use-load.js';
import { VerdictForm } from './verdict-form.js';

/** One open item as /api/queue lists it. */
export interface QueueListItem {
  id: string;
  partner: string;
  object_id: string;
  type: string;
  title: string;
  labels: string[];
  group: string;
  state: string;
  reasons: Reason[];
  removed: number;
  author: string | null;
  approvals: { approver: string; verdict: string; comment: string | null; at: string }[];
  approvals_required: number;
  age_seconds: number;
}

interface Copies {
  original: Record<string, unknown> | null;
  tearline: Record<string, unknown>;
  removed: { path: string; rule: string }[];
}

/** The copy beside its original, read only when the officer opens it. */
function Preview({ id }: { id: string }) {
  const [copies] = useLoad<Copies>(`/api/queue/${encodeURIComponent(id)}`);
  if (copies.state === 'loading') return <p>Loading…</p>;
  if (copies.state === 'error') return <p className="error">{copies.message}</p>;
  return <TearlineDiff {...copies.data} />;
}

function Decide({ item, onDone }: { item: QueueListItem; onDone: (msg: string) => void }) {
  const decide = async (verdict: 'yes' | 'no', comment: string) => {
    const r = await api<{ state: string; approvals: number; required: number; releaseId?: string }>(
      `/api/queue/${encodeURIComponent(item.id)}/${verdict === 'yes' ? 'approve' : 'deny'}`,
      comment.trim() ? { comment } : {},
    );
    onDone(
      `${item.title} for ${item.partner}: ${r.state} (${r.approvals}/${r.required} approvals)${r.releaseId ? `, release ${r.releaseId}` : ''}`,
    );
  };
  return <VerdictForm noteLabel="Comment (required to deny)" yes="Approve" no="Deny" onVerdict={decide} />;
}

export function QueueItemCard(props: {
  item: QueueListItem;
  canDecide: boolean;
  selectable: boolean;
  selected: boolean;
  onSelect: (on: boolean) => void;
  onDone: (msg: string) => void;
}) {
  const { item: i } = props;
  const [open, setOpen] = useState(false);
  const approvals = i.approvals.filter((a) => a.verdict === 'approve').length;
  return (
    <section
      className="card queue-item"
      aria-labelledby={`q-${i.id}`}
      data-object={i.object_id}
      data-item={i.id}
    >
      <h3 id={`q-${i.id}`}>
        {props.selectable && (
          <input
            type="checkbox"
            aria-label={`Select ${i.title}`}
            checked={props.selected}
            onChange={(e) => props.onSelect(e.target.checked)}
          />
        )}{' '}
        <a href={objectHref(i.object_id)}>{i.title}</a> → {i.partner}
      </h3>
      <p>
        {i.type}
        {i.labels.length > 0 && ` · ${i.labels.join(', ')}`} · {approvals}/{i.approvals_required} approvals ·
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
      <details className="preview" onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
        <summary>
          Tearline preview: what {i.partner} would get ({i.removed} parts removed)
        </summary>
        {open && <Preview id={i.id} />}
      </details>
      {props.canDecide && <Decide item={i} onDone={props.onDone} />}
    </section>
  );
}
