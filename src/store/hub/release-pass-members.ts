import type { SqlQueries } from '../sql/sql-database.js';

/** The scope sets a partner's decisions read (PartnerFacts.neighbourhood and .locations). */
export type MemberSet = 'neighbourhood' | 'locations';

/** Rows per statement: 3 parameters each stays far below either engine's limit. */
const CHUNK = 300;

/**
 * The scope sets the last pass decided each partner with (table release_pass_members), kept so
 * the next pass re-decides only the objects that entered or left them. The release pass writes
 * a set's changes in the transaction that records its pass state, so the stored set is always
 * the one the state key names.
 */
export class ReleasePassMembers {
  constructor(readonly sql: SqlQueries) {}

  async of(partnerId: string, set: MemberSet): Promise<Set<string>> {
    const rows = await this.sql.all<{ object_id: string }>(
      'SELECT object_id FROM release_pass_members WHERE partner_id = ? AND member_set = ?',
      [partnerId, set],
    );
    return new Set(rows.map((r) => r.object_id));
  }

  /** Adds `entered` to and removes `left` from one partner's stored set. */
  async change(
    partnerId: string,
    set: MemberSet,
    entered: readonly string[],
    left: readonly string[],
  ): Promise<void> {
    for (let i = 0; i < entered.length; i += CHUNK) {
      const chunk = entered.slice(i, i + CHUNK);
      await this.sql.run(
        `INSERT INTO release_pass_members (partner_id, member_set, object_id)
         VALUES ${chunk.map(() => '(?, ?, ?)').join(', ')} ON CONFLICT DO NOTHING`,
        chunk.flatMap((id) => [partnerId, set, id]),
      );
    }
    for (let i = 0; i < left.length; i += CHUNK) {
      const chunk = left.slice(i, i + CHUNK);
      await this.sql.run(
        `DELETE FROM release_pass_members WHERE partner_id = ? AND member_set = ?
           AND object_id IN (${chunk.map(() => '?').join(', ')})`,
        [partnerId, set, ...chunk],
      );
    }
  }
}
