import type { FormEvent } from 'react';
import type { ObjectSummary } from './api.js';
import { useLive } from './live.js';
import { markingName, TLP_MARKINGS } from './markings.js';
import { objectHref } from './route.js';
import { useLoad } from './use-load.js';

const TYPES = [
  'attack-pattern',
  'campaign',
  'identity',
  'incident',
  'indicator',
  'intrusion-set',
  'location',
  'malware',
  'note',
  'relationship',
  'report',
  'sighting',
  'threat-actor',
  'tool',
];
const FIELDS = ['q', 'type', 'marking', 'actor', 'from', 'to'] as const;

export function IntelPage({ params }: { params: URLSearchParams }) {
  const live = useLive();
  const query = new URLSearchParams();
  for (const f of FIELDS) {
    const v = params.get(f);
    if (v) query.set(f, v);
  }
  const [results] = useLoad<{ items: ObjectSummary[]; truncated: boolean }>(`/api/intel?${query}`, [
    live.intel,
  ]);
  const [actors] = useLoad<{ id: string; name: string }[]>('/api/actors');
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const [k, v] of new FormData(e.currentTarget)) if (typeof v === 'string' && v) next.set(k, v);
    window.location.hash = `#/intel?${next}`;
  };
  return (
    <>
      <h1>Intel</h1>
      <form className="search" onSubmit={submit} key={query.toString()}>
        <label>
          Text
          <input name="q" type="search" defaultValue={params.get('q') ?? ''} />
        </label>
        <label>
          Type
          <select name="type" defaultValue={params.get('type') ?? ''}>
            <option value="">any</option>
            {TYPES.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <label>
          Marking
          <select name="marking" defaultValue={params.get('marking') ?? ''}>
            <option value="">any</option>
            {TLP_MARKINGS.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name} (TLP {m.tlp})
              </option>
            ))}
          </select>
        </label>
        <label>
          Actor
          <select name="actor" defaultValue={params.get('actor') ?? ''}>
            <option value="">any</option>
            {actors.state === 'ok' &&
              actors.data.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
          </select>
        </label>
        <label>
          Created from
          <input name="from" type="date" defaultValue={params.get('from') ?? ''} />
        </label>
        <label>
          Created to
          <input name="to" type="date" defaultValue={params.get('to') ?? ''} />
        </label>
        <button type="submit">Search</button>
      </form>
      {results.state === 'error' && (
        <p className="error" role="alert">
          {results.message}
        </p>
      )}
      {results.state === 'ok' && (
        <div className="scroll">
          <table>
            <caption>
              {results.data.items.length} objects
              {results.data.truncated ? ' (first 200 shown; narrow the search)' : ''}
            </caption>
            <thead>
              <tr>
                <th scope="col">Type</th>
                <th scope="col">Name</th>
                <th scope="col">Markings</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {results.data.items.map((o) => (
                <tr key={o.id}>
                  <td>{o.type}</td>
                  <td>
                    <a href={objectHref(o.id)}>{o.name}</a>
                  </td>
                  <td>{o.markings.map(markingName).join(', ')}</td>
                  <td>{o.created?.slice(0, 10)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
