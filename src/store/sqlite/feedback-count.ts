import type { SqliteDatabase } from './database.js';

/** STIX types that count as a partner's feedback for reciprocity. */
export const FEEDBACK_TYPES = ['sighting', 'note', 'opinion'] as const;

/**
 * When the hub received each feedback object created by the partner's identity since `sinceUs`
 * (epoch microseconds), in epoch milliseconds. The hub's receipt time is used, not the object's
 * own `created`, which the partner writes and could back- or forward-date. An object counts once,
 * at the receipt of its latest version; the created_by_ref is read from that latest version.
 */
export function listFeedbackReceipts(
  db: SqliteDatabase,
  partnerIdentityId: string,
  sinceUs: number,
): number[] {
  const rows = db
    .prepare(
      `SELECT o.added_us AS added_us
         FROM objects o
         JOIN object_refs r ON r.src_added_us = o.added_us
        WHERE o.is_latest = 1
          AND o.type IN ('sighting', 'note', 'opinion')
          AND r.path = 'created_by_ref'
          AND r.dst_id = ?
          AND o.added_us > ?`,
    )
    .all(partnerIdentityId, sinceUs) as { added_us: number }[];
  return rows.map((r) => Math.floor(r.added_us / 1000));
}
