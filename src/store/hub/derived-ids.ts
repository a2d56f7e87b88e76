import type { DerivedIdPair, DerivedIdReader, DerivedIdWriter } from '../../tearline/tearline-id-ports.js';
import type { SqlDatabase } from '../sql/sql-database.js';

/** Largest number of ids bound in one IN (...) query: well under either engine's limit. */
const IN_CHUNK = 500;

/** Which original each partner-visible id stands for (migration 0200-tearline-derived-ids). */
export class DerivedIdStore implements DerivedIdWriter, DerivedIdReader {
  constructor(readonly sql: SqlDatabase) {}

  /** Joins the caller's transaction when there is one: a release and its ids commit together. */
  recordDerivedIds(partnerId: string, pairs: readonly DerivedIdPair[]): Promise<void> {
    return this.sql.transaction(async (tx) => {
      for (const pair of pairs) {
        await tx.run(
          `INSERT INTO tearline_derived_ids (partner_id, derived_id, original_id) VALUES (?, ?, ?)
           ON CONFLICT (partner_id, derived_id, original_id) DO NOTHING`,
          [partnerId, pair.derivedId, pair.originalId],
        );
      }
    });
  }

  async originalsOf(partnerId: string, derivedId: string): Promise<string[]> {
    const rows = await this.sql.all<{ original_id: string }>(
      'SELECT original_id FROM tearline_derived_ids WHERE partner_id = ? AND derived_id = ? ORDER BY original_id',
      [partnerId, derivedId],
    );
    return rows.map((r) => r.original_id);
  }

  async derivedIdsOf(partnerId: string, originalIds: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (let i = 0; i < originalIds.length; i += IN_CHUNK) {
      const chunk = originalIds.slice(i, i + IN_CHUNK);
      const rows = await this.sql.all<{ original_id: string; derived_id: string }>(
        `SELECT original_id, derived_id FROM tearline_derived_ids
         WHERE partner_id = ? AND original_id IN (${chunk.map(() => '?').join(', ')})`,
        [partnerId, ...chunk],
      );
      for (const row of rows) out.set(row.original_id, row.derived_id);
    }
    return out;
  }
}
