import type { FeedbackOutbox, PushFailure, PushFailureReason } from '../console-shapes.js';
import type { SqlQueries } from '../sql/sql-database.js';

export type { FeedbackOutbox, PushFailure, PushFailureReason };

/**
 * Posts a relay refused or could not take (migration 2700), for releases (by partner id) and for
 * feedback (under FEEDBACK_OUTBOX_PREFIX and the hub's name) alike; resolved by
 * RelayOutboxStore.markPostedAll when a later post has the relay take that sequence.
 */

/**
 * Feedback (sightings back to a hub that released to us) is kept in the outbox under this
 * prefix and the hub's name rather than a partner id: chained, retried and its refused posts
 * recorded exactly as releases are.
 */
export const FEEDBACK_OUTBOX_PREFIX = 'feedback:';

/** A relay's words are kept to this many characters: it is a party we only partly trust. */
export const MAX_FAILURE_MESSAGE = 500;

export class RelayPushFailureStore {
  constructor(readonly sql: SqlQueries) {}

  /** Records a post the relay refused or could not take, for the first sequence it was for. */
  async add(
    partnerId: string,
    sequence: number,
    reason: PushFailureReason,
    message: string,
    now: Date,
  ): Promise<void> {
    await this.sql.run(
      'INSERT INTO relay_push_failures (partner_id, sequence, reason, message, attempted_at) VALUES (?, ?, ?, ?, ?)',
      [partnerId, sequence, reason, message.slice(0, MAX_FAILURE_MESSAGE), now.toISOString()],
    );
  }

  /** Refused posts, newest first: only those no later push has resolved unless `all`. */
  async list(partnerId: string, opts: { all?: boolean; limit?: number } = {}): Promise<PushFailure[]> {
    const rows = await this.sql.all<{
      sequence: number;
      reason: PushFailureReason;
      message: string;
      attempted_at: string;
      resolved_at: string | null;
    }>(
      `SELECT sequence, reason, message, attempted_at, resolved_at FROM relay_push_failures
       WHERE partner_id = ?${opts.all ? '' : ' AND resolved_at IS NULL'} ORDER BY id DESC LIMIT ?`,
      [partnerId, opts.limit ?? 50],
    );
    return rows.map((r) => ({
      sequence: Number(r.sequence),
      reason: r.reason,
      message: r.message,
      attemptedAt: r.attempted_at,
      resolvedAt: r.resolved_at,
    }));
  }

  /** Every hub feedback was sealed for, with its refused posts no later post has resolved. */
  async feedbackOutboxes(): Promise<FeedbackOutbox[]> {
    const rows = await this.sql.all<{
      partner_id: string;
      n: number;
      unposted: number;
      last_post: string | null;
    }>(
      `SELECT partner_id, count(*) AS n, sum(CASE WHEN posted_at IS NULL THEN 1 ELSE 0 END) AS unposted,
         max(posted_at) AS last_post
       FROM relay_outbox WHERE partner_id LIKE ? GROUP BY partner_id ORDER BY partner_id`,
      [`${FEEDBACK_OUTBOX_PREFIX}%`],
    );
    const out: FeedbackOutbox[] = [];
    for (const r of rows)
      out.push({
        hub: r.partner_id.slice(FEEDBACK_OUTBOX_PREFIX.length),
        envelopes: Number(r.n),
        unposted: Number(r.unposted ?? 0),
        lastPost: r.last_post,
        refusedPosts: await this.list(r.partner_id),
      });
    return out;
  }
}
