import type { Loaded } from './use-load.js';

/**
 * The head of a list filtered by state (drafts, submissions): the "Show" choice, then loading,
 * the error, or "No … <noun>." when the chosen state has none.
 */
export function StateListHead<S extends string>({
  states,
  state,
  onState,
  list,
  noun,
}: {
  states: readonly S[];
  state: S;
  onState: (s: S) => void;
  list: Loaded<{ items: readonly unknown[] }>;
  noun: string;
}) {
  return (
    <>
      <label className="inline">
        Show{' '}
        <select value={state} onChange={(e) => onState(e.target.value as S)}>
          {states.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </label>
      {list.state === 'loading' && <p>Loading…</p>}
      {list.state === 'error' && <p className="error">{list.message}</p>}
      {list.state === 'ok' && list.data.items.length === 0 && (
        <p>
          No {state === 'all' ? '' : state} {noun}.
        </p>
      )}
    </>
  );
}
