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
}

interface History {
  at: string;
  truncated: boolean;
  intervals: Interval[];
}

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
  if (history.state === 'loading') return <p>Loading…</p>;
  if (history.state === 'error') return <p className="error">{history.message}</p>;
  const { intervals, at } = history.data;
  if (intervals.length === 0) return <p>No agreement yet, so no conditions to chart.</p>;
  const conditions = [...new Set(intervals.map((i) => i.condition))];
  const start = Math.min(...intervals.map((i) => Date.parse(i.from)));
  const end = Math.max(Date.parse(at), start + 1);
  const x = (ms: number) => LEFT + ((ms - start) / (end - start)) * (W - LEFT - RIGHT);
  const height = conditions.length * ROW + AXIS;
  const lapsed = intervals.filter((i) => i.status !== 'met').length;
  return (
    <figure className="condition-history">
      <svg
        viewBox={`0 0 ${W} ${height}`}
        width="100%"
        role="img"
        aria-label={`Conditions over time from ${new Date(start).toISOString().slice(0, 10)} to ${at.slice(0, 10)}: ${intervals.length} stretches, ${lapsed} lapsed`}
      >
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
          return (
            <rect
              key={`${i.condition}-${i.from}`}
              className={`interval interval-${i.status}`}
              data-condition={i.condition}
              data-status={i.status}
              x={from}
              y={row * ROW + 4}
              width={Math.max(1, to - from)}
              height={ROW - 8}
              fill={i.status === 'met' ? '#2e7d32' : i.status === 'unmet' ? '#c62828' : '#9e9e9e'}
            >
              <title>{`${i.condition} ${i.status} ${i.from} – ${i.to ?? 'now'}: ${i.reason} (${figures})`}</title>
            </rect>
          );
        })}
        <text x={LEFT} y={height - 6} fontSize="11">
          {new Date(start).toISOString().slice(0, 10)}
        </text>
        <text x={W - RIGHT} y={height - 6} fontSize="11" textAnchor="end">
          {at.slice(0, 10)}
        </text>
      </svg>
      <figcaption>
        Green: met; red: lapsed or unmet; grey: unknown. Hover a bar for when, why, and the releases it saw.
        {history.data.truncated ? ' The history is longer than the chart shows.' : ''}
      </figcaption>
    </figure>
  );
}
