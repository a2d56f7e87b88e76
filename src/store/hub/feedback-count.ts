import type { SqlQueries } from '../sql/sql-database.js';

/** STIX types that count as a partner's feedback for reciprocity. */
export const FEEDBACK_TYPES = ['sighting', 'note', 'opinion'] as const;

/**
 * When the hub received each piece of the partner's feedback since `sinceUs` (epoch
 * microseconds), in epoch milliseconds: the sightings, notes and opinions in its submission
 * space (not those an analyst rejected), and those in intel attributed to it (created_by_ref),
 * which only the hub's own people put there. The hub's receipt time is used, not the object's
 * own `created`, which the partner writes and could back- or forward-date. An object counts once,
 * at the receipt of its latest version.
 */
export async function listFeedbackReceipts(
  sql: SqlQueries,
  partnerIdentityId: string,
  sinceUs: number,
): Promise<number[]> {
  const submitted = await sql.all<{ at: number }>(
    `SELECT pos_us AS at FROM taxii_submissions
      WHERE partner_id = ? AND is_latest = 1 AND type IN ('sighting', 'note', 'opinion')
        AND review_state <> 'rejected' AND pos_us > ?`,
    [partnerIdentityId, sinceUs],
  );
  const attributed = await sql.all<{ at: number }>(
    `SELECT o.added_us AS at
         FROM objects o
         JOIN object_refs r ON r.src_added_us = o.added_us
        WHERE o.is_latest
          AND o.type IN ('sighting', 'note', 'opinion')
          AND r.path = 'created_by_ref'
          AND r.dst_id = ?
          AND o.added_us > ?`,
    [partnerIdentityId, sinceUs],
  );
  return [...submitted, ...attributed].map((r) => Math.floor(Number(r.at) / 1000)).sort((a, b) => a - b);
}
