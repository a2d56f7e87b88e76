import type { SqlQueries } from '../sql/sql-database.js';

/** STIX types that count as a partner's feedback for reciprocity. */
export const FEEDBACK_TYPES = ['sighting', 'note', 'opinion'] as const;

/**
 * When the hub received each feedback object created by the partner's identity since `sinceUs`
 * (epoch microseconds), in epoch milliseconds. The hub's receipt time is used, not the object's
 * own `created`, which the partner writes and could back- or forward-date. An object counts once,
 * at the receipt of its latest version; the created_by_ref is read from that latest version.
 */
export async function listFeedbackReceipts(
  sql: SqlQueries,
  partnerIdentityId: string,
  sinceUs: number,
): Promise<number[]> {
  const rows = await sql.all<{ added_us: number }>(
    `SELECT o.added_us AS added_us
         FROM objects o
         JOIN object_refs r ON r.src_added_us = o.added_us
        WHERE o.is_latest
          AND o.type IN ('sighting', 'note', 'opinion')
          AND r.path = 'created_by_ref'
          AND r.dst_id = ?
          AND o.added_us > ?
        ORDER BY o.added_us`,
    [partnerIdentityId, sinceUs],
  );
  return rows.map((r) => Math.floor(r.added_us / 1000));
}
