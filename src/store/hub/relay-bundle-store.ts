import type { SqlQueries } from '../sql/sql-database.js';

/**
 * The sender's account of its 'relay-bundle' ledger entries (migration 2800): each is pending
 * from the moment it is ledgered, then sealed (an envelope carries it) or abandoned (the feed
 * page it recorded changed before it was sealed). So no entry is left that nobody can explain.
 */

export type RelayBundleState = 'pending' | 'sealed' | 'abandoned';

export interface RelayBundleRow {
  ledgerIndex: number;
  sequence: number;
  digest: string;
  objects: number;
  state: RelayBundleState;
  recordedAt: string;
  settledAt: string | null;
  reason: string | null;
}

export class RelayBundleStore {
  /** The database, or a transaction the caller holds (where the ledger or outbox write is). */
  constructor(readonly sql: SqlQueries) {}

  /** Records freshly ledgered bundles as pending; call inside the transaction that ledgered them. */
  async addPending(
    partnerId: string,
    bundles: readonly { ledgerIndex: number; sequence: number; digest: string; objects: number }[],
    now: Date,
  ): Promise<void> {
    for (const b of bundles)
      await this.sql.run(
        `INSERT INTO relay_bundles (partner_id, ledger_index, sequence, digest, objects, state, recorded_at)
         VALUES (?, ?, ?, ?, ?, 'pending', ?)`,
        [partnerId, b.ledgerIndex, b.sequence, b.digest, b.objects, now.toISOString()],
      );
  }

  /** Pending entries (ledgered, not yet sealed), by sequence: what a stopped push left. */
  async pending(partnerId: string): Promise<RelayBundleRow[]> {
    return this.#rows(partnerId, "AND state = 'pending'");
  }

  async list(partnerId: string): Promise<RelayBundleRow[]> {
    return this.#rows(partnerId, '');
  }

  /** The entry is carried by the envelope just kept; call in the transaction that keeps it. */
  async markSealed(partnerId: string, ledgerIndex: number, now: Date): Promise<void> {
    await this.sql.run(
      `UPDATE relay_bundles SET state = 'sealed', settled_at = ? WHERE partner_id = ? AND ledger_index = ?`,
      [now.toISOString(), partnerId, ledgerIndex],
    );
  }

  async markAbandoned(partnerId: string, ledgerIndex: number, reason: string, now: Date): Promise<void> {
    await this.sql.run(
      `UPDATE relay_bundles SET state = 'abandoned', settled_at = ?, reason = ?
       WHERE partner_id = ? AND ledger_index = ? AND state = 'pending'`,
      [now.toISOString(), reason, partnerId, ledgerIndex],
    );
  }

  async #rows(partnerId: string, where: string): Promise<RelayBundleRow[]> {
    const rows = await this.sql.all<{
      ledger_index: number;
      sequence: number;
      digest: string;
      objects: number;
      state: RelayBundleState;
      recorded_at: string;
      settled_at: string | null;
      reason: string | null;
    }>(
      `SELECT ledger_index, sequence, digest, objects, state, recorded_at, settled_at, reason
       FROM relay_bundles WHERE partner_id = ? ${where} ORDER BY sequence, ledger_index`,
      [partnerId],
    );
    return rows.map((r) => ({
      ledgerIndex: Number(r.ledger_index),
      sequence: Number(r.sequence),
      digest: r.digest,
      objects: Number(r.objects),
      state: r.state,
      recordedAt: r.recorded_at,
      settledAt: r.settled_at,
      reason: r.reason,
    }));
  }
}
