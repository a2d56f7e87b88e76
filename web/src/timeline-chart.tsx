export interface TimelineBucket {
  start: string;
  incident: number;
  report: number;
  sighting: number;
  release: number;
}

export const SERIES = [
  ['incident', 'Incidents'],
  ['report', 'Reports'],
  ['sighting', 'Sightings'],
  ['release', 'Releases'],
] as const;

const W = 640;
const H = 220;
const PAD = { left: 32, right: 8, top: 10, bottom: 28 };

/** Stacked bars per day or month; the table beneath carries the same figures for screen readers. */
export function TimelineChart({ unit, buckets }: { unit: 'day' | 'month'; buckets: TimelineBucket[] }) {
  if (buckets.length === 0) return <p>No dated incidents, reports, sightings or releases yet.</p>;
  const totals = buckets.map((b) => b.incident + b.report + b.sighting + b.release);
  const max = Math.max(1, ...totals);
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const bw = innerW / buckets.length;
  const y = (v: number) => PAD.top + innerH - (v / max) * innerH;
  const label = (s: string) => (unit === 'day' ? s : s.slice(0, 7));
  const summary = SERIES.map(([k, name]) => `${name}: ${buckets.reduce((n, b) => n + b[k], 0)}`).join(', ');
  return (
    <figure className="chart" data-testid="timeline-chart">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`Timeline from ${label(buckets[0]?.start ?? '')} to ${label(buckets.at(-1)?.start ?? '')}. ${summary}`}
      >
        <line x1={PAD.left} x2={W - PAD.right} y1={y(0)} y2={y(0)} className="axis" />
        <text x={PAD.left - 4} y={y(max) + 4} className="tick" textAnchor="end">
          {max}
        </text>
        <text x={PAD.left - 4} y={y(0)} className="tick" textAnchor="end">
          0
        </text>
        {buckets.map((b, i) => {
          let base = 0;
          return (
            <g key={b.start}>
              <title>{`${label(b.start)}: ${SERIES.map(([k, n]) => `${b[k]} ${n.toLowerCase()}`).join(', ')}`}</title>
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
            </g>
          );
        })}
        <text x={PAD.left} y={H - 8} className="tick">
          {label(buckets[0]?.start ?? '')}
        </text>
        <text x={W - PAD.right} y={H - 8} className="tick" textAnchor="end">
          {label(buckets.at(-1)?.start ?? '')}
        </text>
      </svg>
      <figcaption>
        <ul className="legend">
          {SERIES.map(([k, name]) => (
            <li key={k}>
              <span className={`swatch bar-${k}`} aria-hidden="true" /> {name}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
