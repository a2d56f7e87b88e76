import { useLoad } from './use-load.js';

interface Interval {
  condition: string;
  kind: string;
  title: string;
  status: 'met' | 'unmet' | 'unknown';
  from: string;
  to?: string;
  reason: string;
  released: number;
  gated?: number;
  /** For the stretch still running and met: when it lapses by itself. */
  lapses_at?: string;
}

/** A met condition this close to lapsing is drawn as lapsing, so nobody learns of it the day after. */
const LAPSING_MS = 30 * 86_400_000;

interface History {
  at: string;
  truncated: boolean;
  intervals: Interval[];
}

interface OutcomePoint {
  at: string;
  released: number;
  queued: number;
  withheld: number;
  denied: number;
}

const OUTCOMES = [
  ['released', '#15803d'],
  ['queued', '#b45309'],
  ['withheld', '#6b7280'],
] as const;
const PLOT = 110;

const W = 720;
const ROW = 26;
const LEFT = 120;
const RIGHT = 8;
const AXIS = 22;

/**
 * The overseers' chart: one row per condition, one bar per stretch it was met (green) or lapsed
 * (red), over the partner's whole history; each bar's title says when, why and what it meant for
 * releases. Inline SVG: a few rectangles on a time axis need no chart library.
 */
export function ConditionHistoryChart({ partnerId, deps }: { partnerId: string; deps: readonly unknown[] }) {
  const [history] = useLoad<History>(
    `/api/partners/${encodeURIComponent(partnerId)}/conditions/history`,
    deps,
  );
  const [flow] = useLoad<{ points: OutcomePoint[] }>(
    `/api/partners/${encodeURIComponent(partnerId)}/outcomes/history`,
    deps,
  );
  if (history.state === 'loading') return <p>Loading…</p>;
  if (history.state === 'error') return <p className="error">{history.message}</p>;
  const { intervals, at } = history.data;
  if (intervals.length === 0) return <p>No agreement yet, so no conditions to chart.</p>;
  const points = flow.state === 'ok' ? flow.data.points : [];
  const conditions = [...new Set(intervals.map((i) => i.condition))];
  const start = Math.min(...intervals.map((i) => Date.parse(i.from)), ...points.map((p) => Date.parse(p.at)));
  const end = Math.max(Date.parse(at), start + 1);
  const x = (ms: number) => LEFT + ((ms - start) / (end - start)) * (W - LEFT - RIGHT);
  // Released, queued and withheld over the same time axis, above the conditions: a step line
  // each (a count holds until the next pass changes it), drawn to now.
  const top = points.length > 0 ? PLOT : 0;
  const most = Math.max(1, ...points.flatMap((p) => [p.released, p.queued, p.withheld]));
  const y = (v: number) => 8 + (1 - v / most) * (PLOT - 24);
  const steps = (k: (typeof OUTCOMES)[number][0]) =>
    points
      .map((p, i) => {
        const next = points[i + 1];
        const x2 = x(next ? Date.parse(next.at) : end);
        return `${i === 0 ? 'M' : 'L'}${x(Date.parse(p.at)).toFixed(1)},${y(p[k]).toFixed(1)} L${x2.toFixed(1)},${y(p[k]).toFixed(1)}`;
      })
      .join(' ');
  const latest = points.at(-1);
  const height = top + conditions.length * ROW + AXIS;
  const lapsed = intervals.filter((i) => i.status !== 'met').length;
  return (
    <figure className="condition-history">
      <svg
        viewBox={`0 0 ${W} ${height}`}
        width="100%"
        role="img"
        aria-label={`Conditions over time from ${new Date(start).toISOString().slice(0, 10)} to ${at.slice(0, 10)}: ${intervals.length} stretches, ${lapsed} lapsed${
          latest
            ? `; now ${latest.released} released, ${latest.queued} queued, ${latest.withheld} withheld`
            : ''
        }`}
      >
        {points.length > 0 && (
          <g className="outcome-lines" data-points={points.length}>
            <text x={LEFT - 6} y={12} textAnchor="end" fontSize="11">
              {most}
            </text>
            <text x={LEFT - 6} y={PLOT - 14} textAnchor="end" fontSize="11">
              0
            </text>
            {OUTCOMES.map(([k, colour]) => (
              <path
                key={k}
                className={`outcome-${k}`}
                d={steps(k)}
                fill="none"
                stroke={colour}
                strokeWidth={2}
              >
                <title>{`${k}: ${points.map((p) => `${p.at.slice(0, 16)} ${p[k]}`).join(', ')}`}</title>
              </path>
            ))}
          </g>
        )}
        <g transform={`translate(0, ${top})`}>
          {conditions.map((c, row) => (
            <text key={c} x={LEFT - 6} y={row * ROW + ROW / 2 + 4} textAnchor="end" fontSize="12">
              {c}
            </text>
          ))}
          {intervals.map((i) => {
            const row = conditions.indexOf(i.condition);
            const from = x(Date.parse(i.from));
            const to = x(i.to === undefined ? end : Date.parse(i.to));
            const figures = `${i.released} released${i.gated === undefined ? '' : `, ${i.gated} withheld items gated now`}`;
            const lapsing =
              i.status === 'met' &&
              i.lapses_at !== undefined &&
              Date.parse(i.lapses_at) - Date.parse(at) <= LAPSING_MS;
            const status = lapsing ? 'lapsing' : i.status;
            return (
              <rect
                key={`${i.condition}-${i.from}`}
                className={`interval interval-${status}`}
                data-condition={i.condition}
                data-status={status}
                x={from}
                y={row * ROW + 4}
                width={Math.max(1, to - from)}
                height={ROW - 8}
                fill={
                  status === 'lapsing'
                    ? '#d97706'
                    : status === 'met'
                      ? '#2e7d32'
                      : status === 'unmet'
                        ? '#c62828'
                        : '#9e9e9e'
                }
              >
                <title>{`${i.condition} ${status} ${i.from} – ${i.to ?? 'now'}${i.lapses_at ? `, lapses ${i.lapses_at.slice(0, 10)}` : ''}: ${i.reason} (${figures})`}</title>
              </rect>
            );
          })}
        </g>
        <text x={LEFT} y={height - 6} fontSize="11">
          {new Date(start).toISOString().slice(0, 10)}
        </text>
        <text x={W - RIGHT} y={height - 6} fontSize="11" textAnchor="end">
          {at.slice(0, 10)}
        </text>
      </svg>
      <figcaption>
        {points.length > 0 &&
          'Lines: items released (green), queued for approval (amber) and withheld (grey) as each release pass left them. '}
        Bars: green, met; amber, lapsing (met, and lapses by itself within 30 days); red, lapsed or unmet;
        grey, unknown. Hover a bar for when, why, and the releases it saw.
        {history.data.truncated ? ' The history is longer than the chart shows.' : ''}
      </figcaption>
    </figure>
  );
}
