import type { DerivedIdPair, DerivedIdReader, DerivedIdWriter } from '../../tearline/tearline-id-ports.js';
import type { SqliteDatabase } from './database.js';

/** Largest number of ids bound in one IN (...) query; SQLite allows 32766 variables. */
const IN_CHUNK = 500;

export class SqliteDerivedIdStore implements DerivedIdWriter, DerivedIdReader {
  readonly #db: SqliteDatabase;
  readonly #insert;
  readonly #originals;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    this.#insert = db.prepare(
      `INSERT INTO tearline_derived_ids (partner_id, derived_id, original_id) VALUES (?, ?, ?)
       ON CONFLICT (partner_id, derived_id, original_id) DO NOTHING`,
    );
    this.#originals = db
      .prepare(
        'SELECT original_id FROM tearline_derived_ids WHERE partner_id = ? AND derived_id = ? ORDER BY original_id',
      )
      .pluck();
  }

  async recordDerivedIds(partnerId: string, pairs: readonly DerivedIdPair[]): Promise<void> {
    this.recordDerivedIdsSync(partnerId, pairs);
  }

  /** The same, synchronous: for a caller's transaction (a release and its ids commit together). */
  recordDerivedIdsSync(partnerId: string, pairs: readonly DerivedIdPair[]): void {
    this.#db.transaction(() => {
      for (const pair of pairs) this.#insert.run(partnerId, pair.derivedId, pair.originalId);
    })();
  }

  async originalsOf(partnerId: string, derivedId: string): Promise<string[]> {
    return this.#originals.all(partnerId, derivedId) as string[];
  }

  async derivedIdsOf(partnerId: string, originalIds: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (let i = 0; i < originalIds.length; i += IN_CHUNK) {
      const chunk = originalIds.slice(i, i + IN_CHUNK);
      const rows = this.#db
        .prepare(
          `SELECT original_id, derived_id FROM tearline_derived_ids
           WHERE partner_id = ? AND original_id IN (${chunk.map(() => '?').join(', ')})`,
        )
        .all(partnerId, ...chunk) as { original_id: string; derived_id: string }[];
      for (const row of rows) out.set(row.original_id, row.derived_id);
    }
    return out;
  }
}
