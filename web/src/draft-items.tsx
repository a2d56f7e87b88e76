import { type FormEvent, useState } from 'react';
import { ITEM_KINDS } from '../../src/osint/osint-types.js';
import { MergeSearch } from './draft-merge.js';
import type { DraftItem, ItemEdit } from './draft-model.js';
import { objectHref } from './route.js';

/** The order kinds are listed in: what an analyst checks first (as the extractor lists them). */
const KIND_ORDER: readonly string[] = ITEM_KINDS;

/** One-line detail an item's data adds to its name (incident figures, indicator type, place kind). */
function detailOf(item: DraftItem): string {
  const d = item.data;
  const fig = (label: string, c: unknown) =>
    c && typeof c === 'object' && 'value' in c
      ? `${(c as { approximate?: boolean }).approximate ? '~' : ''}${String((c as { value: unknown }).value)} ${label}`
      : undefined;
  const parts = [
    typeof d.placeKind === 'string' ? d.placeKind : undefined,
    typeof d.stixType === 'string' ? d.stixType : undefined,
    item.kind === 'indicator' && typeof d.type === 'string' ? d.type : undefined,
    typeof d.date === 'string' ? d.date : undefined,
    fig('killed', d.killed),
    fig('injured', d.injured),
    item.kind === 'relationship' && typeof d.type === 'string' ? d.type : undefined,
  ];
  return parts.filter((p) => p !== undefined).join(' · ');
}

function InlineEdit({
  label,
  button,
  initial,
  onSave,
  placeholder,
}: {
  label: string;
  button: string;
  initial: string;
  onSave: (value: string) => void;
  placeholder?: string;
}) {
  const [value, setValue] = useState(initial);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (value.trim()) onSave(value.trim());
  };
  return (
    <form className="inline-form" onSubmit={submit}>
      <input
        aria-label={label}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        maxLength={300}
        {...(placeholder && { placeholder })}
      />
      <button type="submit">{button}</button>
    </form>
  );
}

function ItemRow({
  item,
  text,
  write,
  edit,
}: {
  item: DraftItem;
  text: string;
  write: boolean;
  edit: (edits: ItemEdit[]) => void;
}) {
  const ev = item.evidence[0];
  const detail = detailOf(item);
  return (
    <li className={`draft-item decision-${item.decision}`} data-key={item.key} data-decision={item.decision}>
      <div>
        <strong className="item-name">{item.name}</strong> <span className="badge">{item.decision}</span>{' '}
        <span className="note">
          {detail && `${detail} · `}
          {Math.round(item.confidence * 100)}% · {ev?.rule}
          {item.evidence.length > 1 && ` · ${item.evidence.length} places`}
        </span>
      </div>
      {item.mergeWith && (
        <div className="note">
          Is stored object <a href={objectHref(item.mergeWith)}>{item.mergeWith}</a>
        </div>
      )}
      {ev && <blockquote className="evidence">{text.slice(ev.sentenceStart, ev.sentenceEnd)}</blockquote>}
      {write && (
        <details>
          <summary>Change</summary>
          <div className="buttons">
            <button
              type="button"
              className="approve"
              onClick={() => edit([{ key: item.key, decision: 'accepted' }])}
            >
              Accept {item.name}
            </button>
            <button
              type="button"
              className="deny"
              onClick={() => edit([{ key: item.key, decision: 'rejected' }])}
            >
              Reject {item.name}
            </button>
          </div>
          {item.kind !== 'relationship' && (
            <>
              <InlineEdit
                label={`New name for ${item.name}`}
                button="Rename"
                initial={item.name}
                onSave={(name) => edit([{ key: item.key, name }])}
              />
              <MergeSearch item={item} onPick={(mergeWith) => edit([{ key: item.key, mergeWith }])} />
              <InlineEdit
                label={`Merge ${item.name} with stored object (STIX id)`}
                placeholder="or a stored object's STIX id"
                button="Merge"
                initial={item.mergeWith ?? ''}
                onSave={(mergeWith) => edit([{ key: item.key, mergeWith }])}
              />
              {item.mergeWith && (
                <button type="button" onClick={() => edit([{ key: item.key, mergeWith: null }])}>
                  Make {item.name} a new object
                </button>
              )}
            </>
          )}
        </details>
      )}
    </li>
  );
}

/** The draft's items by kind, each with its evidence sentence and, for analysts, its controls. */
export function DraftItems({
  items,
  text,
  write,
  edit,
}: {
  items: DraftItem[];
  text: string;
  write: boolean;
  edit: (edits: ItemEdit[]) => void;
}) {
  const kinds = [...new Set(items.map((i) => i.kind))].sort(
    (a, b) => KIND_ORDER.indexOf(a) - KIND_ORDER.indexOf(b),
  );
  return (
    <>
      {kinds.map((kind) => {
        const of = items.filter((i) => i.kind === kind);
        return (
          <section key={kind} className="draft-kind" data-kind={kind} aria-labelledby={`kind-${kind}`}>
            <h3 id={`kind-${kind}`}>
              <span className={`swatch k-${kind}`} /> {kind} ({of.length})
            </h3>
            {write && (
              <div className="buttons">
                <button type="button" onClick={() => edit([{ kind, decision: 'accepted' }])}>
                  Accept every {kind}
                </button>
                <button type="button" onClick={() => edit([{ kind, decision: 'rejected' }])}>
                  Reject every {kind}
                </button>
              </div>
            )}
            <ul className="draft-items">
              {of.map((i) => (
                <ItemRow key={i.key} item={i} text={text} write={write} edit={edit} />
              ))}
            </ul>
          </section>
        );
      })}
    </>
  );
}
