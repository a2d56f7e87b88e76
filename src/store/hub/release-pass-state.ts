import type { SqlQueries } from '../sql/sql-database.js';

/** Where the last pass stopped for one partner (scope = its id) or for the whole hub (scope ''). */
export interface PassStateRow {
  scope: string;
  state_key: string;
  /** The last objects.added_us the pass had seen. */
  object_cursor: number;
  /** The next instant the decisions may change with no event (ISO), or null. */
  changes_at: string | null;
  updated_at: string;
}

/** The scope of the hub-wide row. */
export const HUB_SCOPE = '';

/** What the release pass remembers between passes (table release_pass_state). */
export class ReleasePassStates {
  constructor(readonly sql: SqlQueries) {}

  async all(): Promise<Map<string, PassStateRow>> {
    const rows = await this.sql.all<PassStateRow>(
      'SELECT scope, state_key, object_cursor, changes_at, updated_at FROM release_pass_state',
    );
    return new Map(rows.map((r) => [r.scope, { ...r, object_cursor: Number(r.object_cursor) }]));
  }

  async put(row: PassStateRow): Promise<void> {
    await this.sql.run(
      `INSERT INTO release_pass_state (scope, state_key, object_cursor, changes_at, updated_at)
       VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (scope) DO UPDATE SET state_key = excluded.state_key,
         object_cursor = excluded.object_cursor, changes_at = excluded.changes_at,
         updated_at = excluded.updated_at`,
      [row.scope, row.state_key, row.object_cursor, row.changes_at, row.updated_at],
    );
  }

  /** Forgets every cursor: the next pass is a full one. */
  async clear(): Promise<void> {
    await this.sql.run('DELETE FROM release_pass_state');
  }
}

/**
 * What moves when anything a release decision reads changes: the newest object version, and the
 * newest ledger entry (every import, submission, partner, agreement and condition change and
 * approval is one, written with the change). Two indexed reads of one row each. Delivery records
 * are left out: they change no decision and come with every partner's poll.
 */
export interface ChangeStamp {
  objectsUs: number;
  key: string;
}

export async function readChangeStamp(sql: SqlQueries): Promise<ChangeStamp> {
  const o = await sql.get<{ m: number | string | null }>('SELECT max(added_us) AS m FROM objects');
  const l = await sql.get<{ n: number | string | null }>(
    "SELECT max(idx) AS n FROM ledger_entries WHERE kind <> 'delivery'",
  );
  const objectsUs = Number(o?.m ?? 0);
  return { objectsUs, key: `${objectsUs}.${Number(l?.n ?? -1)}` };
}

/**
 * Objects whose queue item for `partnerId` was approved, released or denied at or after `sinceIso`:
 * such a verdict writes the object's outcome outside any pass (an approved copy of an older
 * version may go out after a newer version was decided), so the next pass decides them again.
 */
export async function queueObjectsClosedSince(
  sql: SqlQueries,
  partnerId: string,
  sinceIso: string,
): Promise<string[]> {
  const rows = await sql.all<{ object_id: string }>(
    `SELECT DISTINCT object_id FROM release_queue
      WHERE state IN ('approved', 'released', 'denied') AND partner_id = ? AND closed_at >= ?`,
    [partnerId, sinceIso],
  );
  return rows.map((r) => r.object_id);
}
