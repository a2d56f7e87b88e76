import { type FormEvent, useState } from 'react';
import { MERGE_TYPES } from '../../src/osint/draft-types.js';
import type { MergeCandidate as Candidate } from '../../src/store/console-shapes.js';
import { api } from './api.js';
import type { DraftItem } from './draft-model.js';
import { objectHref } from './route.js';

/**
 * Merging an item with a stored object: search stored objects of the item's kind by name or
 * alias and pick one (the STIX id stays typable for an object the search does not find).
 */
export function MergeSearch({ item, onPick }: { item: DraftItem; onPick: (id: string) => void }) {
  const types = MERGE_TYPES[item.kind];
  const [q, setQ] = useState(item.name);
  const [type, setType] = useState('');
  const [found, setFound] = useState<Candidate[] | undefined>();
  const [error, setError] = useState('');
  if (!types) return null;
  const search = async (e: FormEvent) => {
    e.preventDefault();
    setError('');
    const params = new URLSearchParams({ q: q.trim(), kind: item.kind, ...(type && { type }) });
    try {
      setFound((await api<{ items: Candidate[] }>(`/api/drafts/candidates?${params}`)).items);
    } catch (err) {
      setFound(undefined);
      setError((err as Error).message);
    }
  };
  return (
    <div className="merge-search" data-testid={`merge-search-${item.key}`}>
      <form className="inline-form" onSubmit={(e) => void search(e)}>
        <input
          aria-label={`Find stored objects to merge ${item.name} with`}
          value={q}
          onChange={(e) => setQ(e.target.value)}
          placeholder="name or alias of a stored object"
          maxLength={200}
        />
        {types.length > 1 && (
          <select aria-label="Type" value={type} onChange={(e) => setType(e.target.value)}>
            <option value="">any of {types.join(', ')}</option>
            {types.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        )}
        <button type="submit">Find</button>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {found && found.length === 0 && (
        <p className="note">No stored {types.join(' or ')} by that name or alias.</p>
      )}
      {found && found.length > 0 && (
        <ul className="merge-candidates">
          {found.map((c) => (
            <li key={c.id} data-id={c.id}>
              <button type="button" onClick={() => onPick(c.id)}>
                Merge with {c.name}
              </button>{' '}
              <span className="note">
                {c.type}
                {c.matched !== c.name && ` · alias ${c.matched}`}
                {c.aliases.length > 0 && ` · aka ${c.aliases.slice(0, 4).join(', ')}`} ·{' '}
                <a href={objectHref(c.id)}>{c.id}</a>
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
