import { useEffect, useState } from 'react';
import { api, type Me } from './api.js';
import { DraftItems } from './draft-items.js';
import { runsOf } from './draft-marks.js';
import type { Draft, ItemEdit } from './draft-model.js';
import { ActionForm, field, post, ReasonField } from './manage-forms.js';
import { MarkingSelect } from './marking-select.js';
import { objectHref } from './route.js';
import { useLoad } from './use-load.js';

/** The article as text (never markup), each extraction's evidence highlighted at its offsets. */
function ArticleText({ draft }: { draft: Draft }) {
  return (
    <div className="article-text" data-testid="article-text">
      {runsOf(draft.text, draft.items).map((r, n) => {
        const inner = r.marks[0];
        if (!inner)
          // biome-ignore lint/suspicious/noArrayIndexKey: runs are positional and never reordered
          return <span key={n}>{r.text}</span>;
        return (
          <mark
            // biome-ignore lint/suspicious/noArrayIndexKey: as above
            key={n}
            className={`k-${inner.kind}`}
            data-keys={r.marks.map((m) => m.key).join(' ')}
            data-kind={inner.kind}
            title={r.marks
              .map((m) => `${m.kind}: ${m.name} (${m.rule}, ${Math.round(m.confidence * 100)}%)`)
              .join('\n')}
          >
            {r.text}
          </mark>
        );
      })}
    </div>
  );
}

/**
 * One draft beside its text: analysts accept, reject, rename or merge items (one or a whole
 * kind), set the marking, and confirm (the report and its objects become intel) or reject it.
 */
export function DraftReview({ id, me, onDecided }: { id: string; me: Me; onDecided: () => void }) {
  const [loaded, reload] = useLoad<Draft>(`/api/drafts/${encodeURIComponent(id)}`);
  const [draft, setDraft] = useState<Draft | undefined>(undefined);
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  useEffect(() => {
    if (loaded.state === 'ok') setDraft(loaded.data);
  }, [loaded]);
  if (loaded.state === 'loading' || (loaded.state === 'ok' && !draft)) return <p>Loading…</p>;
  if (loaded.state === 'error') return <p className="error">{loaded.message}</p>;
  if (!draft) return null;
  const write = me.permissions.includes('draft.write') && draft.state === 'open';
  const edit = async (edits: ItemEdit[], marking?: string) => {
    setError('');
    try {
      setDraft(
        await api<Draft>(`/api/drafts/${encodeURIComponent(id)}/edit`, {
          edits,
          ...(marking && { marking }),
        }),
      );
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const decided = (msg: string) => {
    setDone(msg);
    reload();
    onDecided();
  };
  return (
    <>
      <p>
        <a href="#/drafts">← All drafts</a>
      </p>
      <h1>{draft.title}</h1>
      <p data-testid="draft-state">
        Draft {draft.state} · made {draft.created_at} by {draft.created_by} · TLP:
        {draft.marking.toUpperCase()}
        {draft.reviewed_by && ` · ${draft.state} by ${draft.reviewed_by} at ${draft.reviewed_at}`}
        {draft.review_note && `: ${draft.review_note}`}
      </p>
      {draft.source_url && (
        <p>
          Source: <span className="source-url">{draft.source_url}</span>
          {draft.published && ` · published ${draft.published}`}
        </p>
      )}
      {draft.report_id && (
        <p>
          Intel: <a href={objectHref(draft.report_id)}>{draft.report_id}</a>
        </p>
      )}
      <p role="status" className="done">
        {done}
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="draft-review">
        <section aria-label="Article">
          <h2>Article</h2>
          <ArticleText draft={draft} />
        </section>
        <section aria-label="Extracted items">
          <h2>What the text supports</h2>
          <DraftItems items={draft.items} text={draft.text} write={write} edit={(e) => void edit(e)} />
        </section>
      </div>
      {write && (
        <section className="card" aria-label="Decide">
          <h2>Decide</h2>
          <ActionForm
            label="Set marking"
            testId="draft-marking"
            onSubmit={async (form) => {
              await edit([], field(form, 'marking'));
              return `Marking set to TLP:${field(form, 'marking').toUpperCase()}`;
            }}
          >
            <MarkingSelect defaultValue={draft.marking} />
          </ActionForm>
          <ActionForm
            label="Confirm as intel"
            testId="draft-confirm"
            confirm="The report and every accepted or proposed item become intel and enter the release pipeline."
            onSubmit={async () => {
              const r = await post<{ report_id: string; objects: number }>(
                `/api/drafts/${encodeURIComponent(id)}/confirm`,
                {},
              );
              const msg = `Confirmed: report ${r.report_id} with ${r.objects} objects`;
              decided(msg);
              return msg;
            }}
          />
          <ActionForm
            label="Reject draft"
            testId="draft-reject"
            onSubmit={async (form) => {
              await post(`/api/drafts/${encodeURIComponent(id)}/reject`, { reason: field(form, 'reason') });
              decided('Draft rejected');
              return 'Draft rejected';
            }}
          >
            <ReasonField label="Reason (required)" />
          </ActionForm>
        </section>
      )}
    </>
  );
}
