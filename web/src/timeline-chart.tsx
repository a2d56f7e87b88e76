import { useEffect, useState } from 'react';
import type { TimelineBucket, TimelineLane } from '../../src/store/console-shapes.js';

export type { TimelineBucket, TimelineLane };

export const SERIES = [
  ['incident', 'Incidents'],
  ['report', 'Reports'],
  ['sighting', 'Sightings'],
  ['actor', 'Actors first/last seen'],
  ['release', 'Releases'],
] as const;

const W = 640;
const BARS_H = 200;
const LANE_H = 18;
const PAD = { left: 110, right: 8, top: 10, bottom: 30 };
/** At most this many labels on the time axis, so they never run into each other. */
const MAX_TICKS = 8;

/**
 * Stacked bars per day or month, zoomable to a range of buckets, with one lane per partner of
 * what was released when, and the incidents in view listed by date beneath.
 */
export function TimelineChart({
  unit,
  buckets,
  lanes = [],
}: {
  unit: 'day' | 'month';
  buckets: TimelineBucket[];
  lanes?: TimelineLane[];
}) {
  const [range, setRange] = useState<[number, number]>([0, Math.max(0, buckets.length - 1)]);
  useEffect(() => setRange([0, Math.max(0, buckets.length - 1)]), [buckets]);
  if (buckets.length === 0)
    return <p>No dated incidents, reports, sightings, actor activity or releases yet.</p>;
  const label = (s: string) => (unit === 'day' ? s : s.slice(0, 7));
  const [from, to] = [Math.min(range[0], buckets.length - 1), Math.min(range[1], buckets.length - 1)];
  const view = buckets.slice(from, to + 1);
  const totals = view.map((b) => b.incident + b.report + b.sighting + b.actor + b.release);
  const max = Math.max(1, ...totals);
  const H = PAD.top + BARS_H + PAD.bottom + lanes.length * LANE_H;
  const innerW = W - PAD.left - PAD.right;
  const bw = innerW / view.length;
  const y = (v: number) => PAD.top + BARS_H - (v / max) * BARS_H;
  const step = Math.max(1, Math.ceil(view.length / MAX_TICKS));
  const summary = SERIES.map(([k, name]) => `${name}: ${view.reduce((n, b) => n + b[k], 0)}`).join(', ');
  const incidents = view.flatMap((b) => (b.incidents ?? []).map((name) => ({ at: label(b.start), name })));
  const laneMax = Math.max(1, ...lanes.flatMap((l) => l.counts.slice(from, to + 1)));
  const options = buckets.map((b, i) => (
    <option key={b.start} value={i}>
      {label(b.start)}
    </option>
  ));
  return (
    <figure className="chart" data-testid="timeline-chart">
      <div className="chart-zoom">
        <label>
          From{' '}
          <select
            aria-label="Zoom from"
            value={from}
            onChange={(e) => setRange([Number(e.target.value), Math.max(Number(e.target.value), to)])}
          >
            {options}
          </select>
        </label>{' '}
        <label>
          to{' '}
          <select
            aria-label="Zoom to"
            value={to}
            onChange={(e) => setRange([Math.min(from, Number(e.target.value)), Number(e.target.value)])}
          >
            {options}
          </select>
        </label>{' '}
        <button
          type="button"
          disabled={from === 0 && to === buckets.length - 1}
          onClick={() => setRange([0, buckets.length - 1])}
        >
          Show all
        </button>
      </div>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`Timeline from ${label(view[0]?.start ?? '')} to ${label(view.at(-1)?.start ?? '')}. ${summary}`}
      >
        <line x1={PAD.left} x2={W - PAD.right} y1={y(0)} y2={y(0)} className="axis" />
        {[max, Math.round(max / 2), 0]
          .filter((v, i, all) => all.indexOf(v) === i)
          .map((v) => (
            <text key={v} x={PAD.left - 4} y={y(v) + 4} className="tick" textAnchor="end">
              {v}
            </text>
          ))}
        {view.map((b, i) => {
          let base = 0;
          const names = b.incidents?.length ? ` (${b.incidents.join('; ')})` : '';
          return (
            // Clicking a bar zooms to it and its neighbours: a month of a multi-year picture.
            // biome-ignore lint/a11y/noStaticElementInteractions: the From/to selects offer the same zoom to keyboards
            <g
              key={b.start}
              className="bucket"
              onClick={() =>
                setRange([Math.max(0, from + i - 2), Math.min(buckets.length - 1, from + i + 2)])
              }
            >
              <title>{`${label(b.start)}: ${SERIES.map(([k, n]) => `${b[k]} ${n.toLowerCase()}`).join(', ')}${names}`}</title>
              <rect className="bar-hit" x={PAD.left + i * bw} width={bw} y={PAD.top} height={BARS_H} />
              {SERIES.map(([k]) => {
                const v = b[k];
                if (v === 0) return null;
                const rect = (
                  <rect
                    key={k}
                    className={`bar bar-${k}`}
                    x={PAD.left + i * bw + bw * 0.1}
                    width={Math.max(1, bw * 0.8)}
                    y={y(base + v)}
                    height={y(base) - y(base + v)}
                  />
                );
                base += v;
                return rect;
              })}
              {i % step === 0 && (
                <text x={PAD.left + i * bw} y={PAD.top + BARS_H + 14} className="tick axis-label">
                  {label(b.start)}
                </text>
              )}
            </g>
          );
        })}
        {lanes.map((lane, li) => {
          const ly = PAD.top + BARS_H + PAD.bottom + li * LANE_H + LANE_H / 2;
          return (
            <g key={lane.partner} className="lane" data-partner={lane.partner}>
              <text x={PAD.left - 4} y={ly + 4} className="tick" textAnchor="end">
                {lane.partner.length > 16 ? `${lane.partner.slice(0, 15)}…` : lane.partner}
              </text>
              <line x1={PAD.left} x2={W - PAD.right} y1={ly} y2={ly} className="lane-line" />
              {lane.counts.slice(from, to + 1).map((n, i) =>
                n === 0 ? null : (
                  <circle
                    // biome-ignore lint/suspicious/noArrayIndexKey: one dot per bucket position
                    key={i}
                    className="bar-release"
                    cx={PAD.left + i * bw + bw / 2}
                    cy={ly}
                    r={2 + 5 * Math.sqrt(n / laneMax)}
                  >
                    <title>{`${lane.partner}: ${n} released in ${label(view[i]?.start ?? '')}`}</title>
                  </circle>
                ),
              )}
            </g>
          );
        })}
      </svg>
      <figcaption>
        <ul className="legend">
          {SERIES.map(([k, name]) => (
            <li key={k}>
              <span className={`swatch bar-${k}`} aria-hidden="true" /> {name}
            </li>
          ))}
          {lanes.length > 0 && <li>one lane per partner: what was released to it, when</li>}
        </ul>
        {incidents.length > 0 && (
          <ul className="timeline-incidents" data-testid="timeline-incidents" aria-label="Incidents in view">
            {incidents.map((x) => (
              <li key={`${x.at}|${x.name}`}>
                <time>{x.at}</time> {x.name}
              </li>
            ))}
          </ul>
        )}
      </figcaption>
    </figure>
  );
}
