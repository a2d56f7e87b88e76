import { type ChangeEvent, useState } from 'react';
import type { Me } from './api.js';
import { type DraftSummary, draftHref } from './draft-model.js';
import { DraftReview } from './draft-review.js';
import { ActionForm, field, post } from './manage-forms.js';
import { MarkingSelect } from './marking-select.js';
import { StateListHead } from './state-list-head.js';
import { useLoad } from './use-load.js';

const STATES = ['open', 'confirmed', 'rejected', 'all'] as const;
/** As the API's limits (2 MB of article, 4 MB of PDF): refused here before it is sent. */
const MAX_UPLOAD = 2 * 1024 * 1024;
const MAX_PDF_UPLOAD = 4 * 1024 * 1024;

function base64Of(bytes: Uint8Array): string {
  let bin = '';
  // In slices: String.fromCharCode takes its arguments on the stack.
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/** Paste or upload an article; the hub extracts a draft, which an analyst then reviews. */
function NewDraft({ onMade }: { onMade: (id: string) => void }) {
  const [text, setText] = useState('');
  const [pdf, setPdf] = useState<{ name: string; size: number; base64: string } | undefined>();
  const [uploadError, setUploadError] = useState('');
  const upload = async (e: ChangeEvent<HTMLInputElement>) => {
    setUploadError('');
    setPdf(undefined);
    const file = e.currentTarget.files?.[0];
    if (!file) return;
    const isPdf = file.type === 'application/pdf' || /\.pdf$/i.test(file.name);
    const max = isPdf ? MAX_PDF_UPLOAD : MAX_UPLOAD;
    if (file.size > max) {
      setUploadError(
        `${file.name} is ${file.size} bytes; ${isPdf ? 'a PDF' : 'an article'} may be at most ${max}`,
      );
      return;
    }
    if (isPdf) {
      // The hub extracts its text (offline) and keeps that text with the draft.
      setPdf({
        name: file.name,
        size: file.size,
        base64: base64Of(new Uint8Array(await file.arrayBuffer())),
      });
      setText('');
    } else setText(await file.text());
  };
  return (
    <ActionForm
      label="Draft from article"
      testId="new-draft"
      onSubmit={async (form) => {
        const r = await post<{ id: string; items: number }>('/api/drafts', {
          ...(pdf ? { pdf_base64: pdf.base64 } : { text }),
          ...Object.fromEntries(
            ['title', 'source_url', 'published', 'marking']
              .map((f) => [f, field(form, f)] as const)
              .filter(([, v]) => v !== ''),
          ),
        });
        setText('');
        setPdf(undefined);
        onMade(r.id);
        return `Draft made with ${r.items} items`;
      }}
    >
      <label>
        Article (text or HTML)
        <textarea
          name="text"
          rows={8}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setPdf(undefined);
          }}
          required={!pdf}
        />
      </label>
      <label>
        Or upload a file (text, HTML or PDF)
        <input
          type="file"
          accept=".txt,.html,.htm,.pdf,text/plain,text/html,application/pdf"
          onChange={(e) => void upload(e)}
          data-testid="article-file"
        />
      </label>
      {pdf && (
        <p data-testid="pdf-chosen">
          PDF {pdf.name} ({pdf.size} bytes): the hub extracts its text, which the draft keeps.
        </p>
      )}
      {uploadError && (
        <p className="error" role="alert">
          {uploadError}
        </p>
      )}
      <label>
        Title
        <input name="title" maxLength={300} />
      </label>
      <label>
        Source URL
        <input name="source_url" type="url" maxLength={2000} />
      </label>
      <label>
        Published
        <input name="published" type="date" />
      </label>
      <MarkingSelect defaultValue="amber" />
    </ActionForm>
  );
}

/**
 * Drafts from open-source articles: apart from intel, never seen by the release pipeline until
 * an analyst confirms one (then it is an ingest like any other). Every role reads them.
 */
export function DraftsPage({ me, id }: { me: Me; id: string }) {
  const [state, setState] = useState<(typeof STATES)[number]>('open');
  const [list, reload] = useLoad<{ items: DraftSummary[]; truncated: boolean; open: number }>(
    `/api/drafts?state=${state}`,
  );
  if (id) return <DraftReview id={id} me={me} onDecided={reload} />;
  return (
    <>
      <h1>Open-source drafts</h1>
      <p>
        An article becomes a draft: what its text supports, each item with its evidence. Nothing of it is
        intel, or seen by the release pipeline, until an analyst confirms it.
      </p>
      {me.permissions.includes('draft.write') && (
        <NewDraft
          onMade={(made) => {
            reload();
            window.location.hash = draftHref(made);
          }}
        />
      )}
      <StateListHead states={STATES} state={state} onState={setState} list={list} noun="drafts" />
      {list.state === 'ok' && list.data.items.length > 0 && (
        <table className="drafts">
          <caption>
            {list.data.open} open{list.data.truncated && ' · the newest 200 shown'}
          </caption>
          <thead>
            <tr>
              <th>Title</th>
              <th>State</th>
              <th>Made</th>
              <th>Items</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((d) => (
              <tr key={d.id} data-draft={d.id}>
                <td>
                  <a href={draftHref(d.id)}>{d.title}</a>
                </td>
                <td>
                  {d.state}
                  {d.reviewed_by && ` by ${d.reviewed_by}`}
                </td>
                <td>
                  {d.created_at} by {d.created_by}
                </td>
                <td>
                  {Object.entries(d.counts)
                    .map(([k, n]) => `${n} ${k}`)
                    .join(', ')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
