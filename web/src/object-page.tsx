import type { Graph, Reason } from './api.js';
import { GraphView } from './graph-view.js';
import { useLive } from './live.js';
import { markingName } from './markings.js';
import { objectHref } from './route.js';
import { type Provenance, ProvenanceNote } from './submitter-consent.js';
import { useLoad } from './use-load.js';
import { type WhatWouldItTake, WhatWouldItTakeView } from './what-would-it-take.js';

interface ObjectPageData {
  object: Record<string, unknown>;
  markings: string[];
  names: Record<string, { name: string; type: string }>;
  granular: Record<string, { marking: string; selector: string }[]>;
  history: { partner: string; time: string; event: string; version: string; detail: string }[];
  provenance: Provenance | null;
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
  const { object, markings, versions, graph, decisions, names, granular, history, provenance } = page.data;
  const nameOf = (ref: string) => names[ref]?.name ?? markingName(ref);
  return (
    <>
      <h1>
        <span className="type">{String(object.type)}</span> {String(object.name ?? id)}
      </h1>
      <p className="markings">
        Markings:{' '}
        {markings.length ? markings.map((m) => <MarkingBadge key={m} name={nameOf(m)} id={m} />) : 'none'}
      </p>
      {provenance && <ProvenanceNote provenance={provenance} />}
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
            <div key={k} data-prop={k}>
              <dt>
                {k}
                {granular[k]?.map((g) => (
                  <MarkingBadge
                    key={g.selector + g.marking}
                    name={nameOf(g.marking)}
                    id={g.marking}
                    title={`granular marking on ${g.selector}`}
                  />
                ))}
              </dt>
              <dd>
                <PropertyValue name={k} value={v} nameOf={nameOf} />
              </dd>
            </div>
          ))}
        </dl>
      </section>
      <section aria-labelledby="history-h">
        <h2 id="history-h">Release history</h2>
        {history.length === 0 ? (
          <p>Never released to, recalled from or denied to any partner.</p>
        ) : (
          <div className="scroll">
            <table data-testid="release-history">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Partner</th>
                  <th scope="col">What</th>
                  <th scope="col">Version</th>
                  <th scope="col">Detail</th>
                </tr>
              </thead>
              <tbody>
                {history.map((h) => (
                  <tr key={`${h.time}${h.partner}${h.event}`}>
                    <td>{h.time}</td>
                    <td>{h.partner}</td>
                    <td>
                      <span className={`outcome outcome-${h.event}`}>{h.event}</span>
                    </td>
                    <td>{h.version}</td>
                    <td>{h.detail}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
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

function MarkingBadge({ name, id, title }: { name: string; id: string; title?: string }) {
  const tlp = name.startsWith('TLP:') ? `tlp tlp-${name.slice(4).toLowerCase().replace('+', '-')}` : 'tlp';
  return (
    <span className={tlp} title={title ?? id} data-marking={id}>
      {name}
    </span>
  );
}

/** A property's value, with every referenced id shown by name and linked to its page. */
function PropertyValue({
  name,
  value,
  nameOf,
}: {
  name: string;
  value: unknown;
  nameOf: (id: string) => string;
}) {
  const isRef = name.endsWith('_ref') || name.endsWith('_refs');
  const ref = (id: string) =>
    id.startsWith('marking-definition--') ? (
      <MarkingBadge key={id} name={nameOf(id)} id={id} />
    ) : (
      <a key={id} href={objectHref(id)} title={id}>
        {nameOf(id)}
      </a>
    );
  if (isRef && typeof value === 'string') return ref(value);
  if (isRef && Array.isArray(value) && value.every((v) => typeof v === 'string'))
    return <span className="refs">{(value as string[]).map(ref)}</span>;
  if (name === 'granular_markings' && Array.isArray(value))
    return (
      <ul className="reasons">
        {(value as { selectors?: string[]; marking_ref?: string }[]).map((g) => (
          <li key={`${g.marking_ref}${g.selectors?.join()}`}>
            {g.marking_ref ? <MarkingBadge name={nameOf(g.marking_ref)} id={g.marking_ref} /> : '?'} on{' '}
            {(g.selectors ?? []).join(', ')}
          </li>
        ))}
      </ul>
    );
  return typeof value === 'string' ? value : <pre>{JSON.stringify(value, null, 2)}</pre>;
}
