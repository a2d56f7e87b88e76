import { useState } from 'react';
import type { Graph, ObjectSummary } from './api.js';
import { GraphView } from './graph-view.js';
import { useLive } from './live.js';
import { objectHref } from './route.js';
import { type TimelineBucket, TimelineChart, type TimelineLane } from './timeline-chart.js';
import { useLoad } from './use-load.js';

interface Threat {
  actor: ObjectSummary;
  /** Why this actor: asked for, the hub's choice (config.json focus_actor), or the most linked. */
  focus: 'asked' | 'hub' | 'most-linked';
  counts: Record<string, number>;
  timeline: { unit: 'day' | 'month'; buckets: TimelineBucket[]; lanes: TimelineLane[] };
  latest: ObjectSummary[];
  graph: Graph;
}

interface Actor {
  id: string;
  name: string;
  type: string;
  activity: number;
}

/** The user's own choice of actor, remembered in this browser. */
const FOCUS_KEY = 'tearline.focus-actor';

function rememberedActor(): string | undefined {
  try {
    return window.localStorage.getItem(FOCUS_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

/** What "Latest" may list; the hub's default is what analysts read (api-threat.ts LATEST_TYPES). */
const LATEST_CHOICES = [
  'report',
  'incident',
  'indicator',
  'intrusion-set',
  'threat-actor',
  'campaign',
  'malware',
  'tool',
  'attack-pattern',
  'vulnerability',
  'sighting',
  'note',
];
const DEFAULT_LATEST = ['report', 'incident', 'indicator', 'intrusion-set', 'threat-actor', 'campaign'];
const LATEST_KEY = 'tearline.latest-types';

function rememberedLatest(): string[] {
  try {
    const saved = JSON.parse(window.localStorage.getItem(LATEST_KEY) ?? 'null') as unknown;
    if (Array.isArray(saved) && saved.every((t) => LATEST_CHOICES.includes(t as string)))
      return saved as string[];
  } catch {
    // Unreadable or refused storage: the default.
  }
  return DEFAULT_LATEST;
}

export function ThreatPage({ actor: asked }: { actor: string | undefined }) {
  const live = useLive();
  const actor = asked ?? rememberedActor();
  const [latestTypes, setLatestTypes] = useState(rememberedLatest);
  const chooseLatest = (type: string, on: boolean) => {
    const next = LATEST_CHOICES.filter((t) => (t === type ? on : latestTypes.includes(t)));
    setLatestTypes(next);
    try {
      window.localStorage.setItem(LATEST_KEY, JSON.stringify(next));
    } catch {
      // The choice then lasts for this visit only.
    }
  };
  const query = new URLSearchParams();
  if (actor) query.set('actor', actor);
  query.set('latest', latestTypes.join(','));
  const [actors] = useLoad<Actor[]>('/api/actors', [live.intel]);
  const [threat] = useLoad<Threat>(`/api/threat?${query.toString()}`, [live.intel, live.queue]);
  return (
    <>
      <h1>Threat picture</h1>
      <label className="inline">
        Threat actor{' '}
        <select
          value={actor ?? (threat.state === 'ok' ? threat.data.actor.id : '')}
          onChange={(e) => {
            try {
              window.localStorage.setItem(FOCUS_KEY, e.target.value);
            } catch {
              // Private windows may refuse storage: the choice then lasts for this visit only.
            }
            window.location.hash = `#/threat?actor=${encodeURIComponent(e.target.value)}`;
          }}
        >
          {actors.state === 'ok' &&
            actors.data.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name} ({a.type}, {a.activity} links)
              </option>
            ))}
        </select>
      </label>{' '}
      {threat.state === 'ok' && (
        <span className="muted" data-testid="focus-why">
          {threat.data.focus === 'hub'
            ? "the hub's focus (config.json focus_actor)"
            : threat.data.focus === 'most-linked'
              ? 'the actor with the most links (set focus_actor in config.json to choose)'
              : 'your choice, remembered in this browser'}
        </span>
      )}
      {threat.state === 'loading' && <p>Loading…</p>}
      {threat.state === 'error' && <p className="error">{threat.message}</p>}
      {threat.state === 'ok' && (
        <div className="threat-grid">
          <section aria-labelledby="timeline-h">
            <h2 id="timeline-h">
              Activity over time ({threat.data.timeline.unit === 'day' ? 'per day' : 'per month'})
            </h2>
            <TimelineChart
              unit={threat.data.timeline.unit}
              buckets={threat.data.timeline.buckets}
              lanes={threat.data.timeline.lanes}
            />
          </section>
          <section aria-labelledby="counts-h">
            <h2 id="counts-h">Within two hops of {threat.data.actor.name}</h2>
            <table>
              <thead>
                <tr>
                  <th scope="col">Type</th>
                  <th scope="col">Count</th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(threat.data.counts)
                  .sort((a, b) => b[1] - a[1])
                  .map(([type, n]) => (
                    <tr key={type}>
                      <td>
                        <a href={`#/intel?type=${type}&actor=${encodeURIComponent(threat.data.actor.id)}`}>
                          {type}
                        </a>
                      </td>
                      <td>{n}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </section>
          <section aria-labelledby="graph-h" className="wide">
            <h2 id="graph-h">Relationships</h2>
            <GraphView graph={threat.data.graph} centre={threat.data.actor.id} />
          </section>
          <section aria-labelledby="latest-h">
            <h2 id="latest-h">Latest</h2>
            <details className="latest-types">
              <summary>Types listed ({latestTypes.length})</summary>
              {LATEST_CHOICES.map((t) => (
                <label key={t} className="inline">
                  <input
                    type="checkbox"
                    checked={latestTypes.includes(t)}
                    onChange={(e) => chooseLatest(t, e.target.checked)}
                  />{' '}
                  {t}
                </label>
              ))}
            </details>
            <ul className="latest">
              {threat.data.latest.map((o) => (
                <li key={o.id}>
                  <span className="type">{o.type}</span> <a href={objectHref(o.id)}>{o.name}</a>{' '}
                  <time dateTime={o.modified ?? ''}>{o.modified?.slice(0, 10)}</time>
                </li>
              ))}
            </ul>
          </section>
        </div>
      )}
    </>
  );
}
