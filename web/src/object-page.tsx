import type { Graph, Reason } from './api.js';
import { GraphView } from './graph-view.js';
import { useLive } from './live.js';
import { markingName } from './markings.js';
import { useLoad } from './use-load.js';
import { type WhatWouldItTake, WhatWouldItTakeView } from './what-would-it-take.js';

interface ObjectPageData {
  object: Record<string, unknown>;
  markings: string[];
  versions: { version: string; added: string; source: string; imported_by: string | null; latest: boolean }[];
  graph: Graph;
  decisions: {
    partner: string;
    /** The hub's decision now (release, needs-approval, withhold), by the settings in force. */
    decision: string;
    stage: string;
    reasons: Reason[];
    tearline: { digest: string; removed: number } | null;
    what_would_it_take: WhatWouldItTake | null;
    /** What the release pipeline last recorded (released, queued, withheld, ...). */
    state: string;
    decided_at: string | null;
    object_version: string | null;
  }[];
}

export function ObjectPage({ id }: { id: string }) {
  const live = useLive();
  const [page] = useLoad<ObjectPageData>(`/api/intel/${encodeURIComponent(id)}`, [
    live.intel,
    live.queue,
    live.settings,
  ]);
  if (page.state === 'loading') return <p>Loading…</p>;
  if (page.state === 'error') return <p className="error">{page.message}</p>;
  const { object, markings, versions, graph, decisions } = page.data;
  return (
    <>
      <h1>
        <span className="type">{String(object.type)}</span> {String(object.name ?? id)}
      </h1>
      <p className="markings">
        Markings:{' '}
        {markings.length
          ? markings.map((m) => (
              <span key={m} className={`tlp tlp-${markingName(m).slice(4).toLowerCase().replace('+', '-')}`}>
                {markingName(m)}
              </span>
            ))
          : 'none'}
      </p>
      <section aria-labelledby="decisions-h">
        <h2 id="decisions-h">Release decision per partner</h2>
        <div className="scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Partner</th>
                <th scope="col">Decision</th>
                <th scope="col">Reasons</th>
                <th scope="col">Recorded</th>
              </tr>
            </thead>
            <tbody>
              {decisions.map((d) => (
                <tr key={d.partner} data-partner={d.partner}>
                  <td>{d.partner}</td>
                  <td>
                    <span className={`decision decision-${d.decision}`}>{d.decision}</span>
                    {d.stage === 'tearline' && d.decision === 'withhold' ? ' (by the tearline)' : ''}
                  </td>
                  <td>
                    <ul className="reasons">
                      {d.reasons.map((r) => (
                        <li key={r.code + r.message}>
                          <code>{r.code}</code> {r.message}
                        </li>
                      ))}
                    </ul>
                    {d.tearline && <p className="muted">tearline: {d.tearline.removed} part(s) removed</p>}
                    <WhatWouldItTakeView w={d.what_would_it_take} />
                  </td>
                  <td>
                    <span className={`outcome outcome-${d.state}`}>{d.state}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section aria-labelledby="props-h">
        <h2 id="props-h">Properties</h2>
        <dl className="props">
          {Object.entries(object).map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{typeof v === 'string' ? v : <pre>{JSON.stringify(v, null, 2)}</pre>}</dd>
            </div>
          ))}
        </dl>
      </section>
      <section aria-labelledby="versions-h">
        <h2 id="versions-h">Versions</h2>
        <div className="scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Version (modified)</th>
                <th scope="col">Added</th>
                <th scope="col">Source</th>
                <th scope="col">Imported by</th>
              </tr>
            </thead>
            <tbody>
              {versions.map((v) => (
                <tr key={v.version}>
                  <td>
                    {v.version}
                    {v.latest ? ' (latest)' : ''}
                  </td>
                  <td>{v.added}</td>
                  <td>{v.source}</td>
                  <td>{v.imported_by ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section aria-labelledby="neigh-h">
        <h2 id="neigh-h">Graph neighbourhood</h2>
        <GraphView graph={graph} centre={id} />
      </section>
    </>
  );
}
