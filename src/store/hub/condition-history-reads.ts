import type { SqlQueries } from '../sql/sql-database.js';
import type { Reason } from './release-store.js';

/*
 * What a partner's condition history (src/release/condition-history-load.ts) shows beside the
 * conditions: the releases made in each stretch and the items withheld now.
 */

/** When each of the partner's releases was made (ISO), in no particular order. */
export async function releaseTimesOf(sql: SqlQueries, partnerId: string): Promise<string[]> {
  const rows = await sql.all<{ released_at: string }>(
    'SELECT released_at FROM release_records WHERE partner_id = ?',
    [partnerId],
  );
  return rows.map((r) => r.released_at);
}

/** The recorded reasons of each outcome the partner is withheld now, parsed. */
export async function withheldReasonsOf(sql: SqlQueries, partnerId: string): Promise<Reason[][]> {
  const rows = await sql.all<{ reasons: string }>(
    "SELECT reasons FROM release_outcomes WHERE partner_id = ? AND outcome = 'withheld'",
    [partnerId],
  );
  return rows.map((r) => JSON.parse(r.reasons) as Reason[]);
}
