import type { FormEvent } from 'react';
import type { ObjectSummary } from './api.js';
import { useLive } from './live.js';
import { markingName, TLP_MARKINGS } from './markings.js';
import { Pager } from './pager.js';
import { objectHref } from './route.js';
import { useLoad } from './use-load.js';

interface IntelPageData {
  total: number;
  page: number;
  pages: number;
  partners: { id: string; name: string }[];
  items: (ObjectSummary & { labels: string[]; decisions: Record<string, string> })[];
}

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
const FIELDS = ['q', 'type', 'label', 'marking', 'actor', 'from', 'to', 'sort', 'order', 'page'] as const;

export function IntelPage({ params }: { params: URLSearchParams }) {
  const live = useLive();
  const query = new URLSearchParams();
  for (const f of FIELDS) {
    const v = params.get(f);
    if (v) query.set(f, v);
  }
  // The per-partner columns are the pipeline's recorded decisions, which move with the queue.
  const [results] = useLoad<IntelPageData>(`/api/intel?${query}`, [live.intel, live.queue]);
  const [actors] = useLoad<{ id: string; name: string }[]>('/api/actors');
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const [k, v] of new FormData(e.currentTarget)) if (typeof v === 'string' && v) next.set(k, v);
    window.location.hash = `#/intel?${next}`;
  };
  const toPage = (page: number) => {
    const next = new URLSearchParams(query);
    next.set('page', String(page));
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
          Label
          <input name="label" defaultValue={params.get('label') ?? ''} />
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
        <label>
          Sort by
          <select name="sort" defaultValue={params.get('sort') ?? 'modified'}>
            <option value="modified">modified</option>
            <option value="created">created</option>
            <option value="added">added to the hub</option>
          </select>
        </label>
        <label>
          Order
          <select name="order" defaultValue={params.get('order') ?? 'desc'}>
            <option value="desc">newest first</option>
            <option value="asc">oldest first</option>
          </select>
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
          <Pager
            page={results.data.page}
            pages={results.data.pages}
            total={results.data.total}
            onPage={toPage}
          />
          <table data-testid="intel-list">
            <caption>{results.data.total} objects</caption>
            <thead>
              <tr>
                <th scope="col">Type</th>
                <th scope="col">Name</th>
                <th scope="col">Labels</th>
                <th scope="col">Markings</th>
                <th scope="col">Modified</th>
                {results.data.partners.map((p) => (
                  <th scope="col" key={p.id}>
                    {p.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {results.data.items.map((o) => (
                <tr key={o.id} data-object={o.id}>
                  <td>{o.type}</td>
                  <td>
                    <a href={objectHref(o.id)}>{o.name}</a>
                  </td>
                  <td>{o.labels.join(', ')}</td>
                  <td>{o.markings.map(markingName).join(', ')}</td>
                  <td>{(o.modified ?? o.created)?.slice(0, 10)}</td>
                  {results.data.partners.map((p) => {
                    const d = o.decisions[p.id];
                    return (
                      <td key={p.id} data-partner={p.name}>
                        {d ? <span className={`outcome outcome-${d}`}>{d}</span> : '—'}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
