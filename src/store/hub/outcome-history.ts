import type { SqlQueries } from '../sql/sql-database.js';

/** A partner's outcome counts at one time. */
export interface OutcomeCounts {
  at: string;
  released: number;
  queued: number;
  withheld: number;
  denied: number;
}

const KINDS = ['released', 'queued', 'withheld', 'denied'] as const;
/** At most this many points are returned: years of passes every minute would be a million rows. */
const MAX_POINTS = 5000;

/**
 * Counts the partner's current outcomes (on the outcomes index) and records them at `at` when
 * any differs from the last record, so a pass that changed nothing adds nothing. Waiting items
 * (released once what they reference is) count as queued: an officer sees both as not yet out.
 */
export async function recordOutcomeCounts(sql: SqlQueries, partnerId: string, at: string): Promise<void> {
  const rows = await sql.all<{ outcome: string; n: number | string }>(
    'SELECT outcome, count(*) AS n FROM release_outcomes WHERE partner_id = ? GROUP BY outcome',
    [partnerId],
  );
  const counts = { released: 0, queued: 0, withheld: 0, denied: 0 };
  for (const r of rows) {
    const kind = r.outcome === 'waiting' ? 'queued' : r.outcome;
    if ((KINDS as readonly string[]).includes(kind)) counts[kind as (typeof KINDS)[number]] += Number(r.n);
  }
  const last = await sql.get<{ released: number; queued: number; withheld: number; denied: number }>(
    'SELECT released, queued, withheld, denied FROM release_outcome_history WHERE partner_id = ? ORDER BY at DESC LIMIT 1',
    [partnerId],
  );
  if (last && KINDS.every((k) => Number(last[k]) === counts[k])) return;
  await sql.run(
    `INSERT INTO release_outcome_history (partner_id, at, released, queued, withheld, denied) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (partner_id, at) DO UPDATE SET released = excluded.released, queued = excluded.queued,
       withheld = excluded.withheld, denied = excluded.denied`,
    [partnerId, at, counts.released, counts.queued, counts.withheld, counts.denied],
  );
}

/** The partner's recorded counts, oldest first (the latest MAX_POINTS). */
export async function listOutcomeHistory(sql: SqlQueries, partnerId: string): Promise<OutcomeCounts[]> {
  const rows = await sql.all<OutcomeCounts>(
    `SELECT at, released, queued, withheld, denied FROM release_outcome_history
      WHERE partner_id = ? ORDER BY at DESC LIMIT ${MAX_POINTS}`,
    [partnerId],
  );
  return rows
    .map((r) => ({
      at: r.at,
      released: Number(r.released),
      queued: Number(r.queued),
      withheld: Number(r.withheld),
      denied: Number(r.denied),
    }))
    .reverse();
}
