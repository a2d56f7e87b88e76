import type { RelayDeliveryView, RelayReleaseRow, RelayReleaseStatus } from '../console-shapes.js';
import type { SqlDatabase } from '../sql/sql-database.js';
import { RelayOutboxStore } from './relay-outbox-store.js';

export type { RelayDeliveryView, RelayReleaseRow, RelayReleaseStatus };

interface Row {
  release_id: string;
  derived_id: string;
  released_at: string;
  recalled_at: string | null;
  sequence: number | null;
  relay_index: number | null;
  sealed_at: string | null;
  posted_at: string | null;
  delivered_at: string | null;
}

const statusOf = (r: Row): RelayReleaseStatus =>
  r.delivered_at !== null
    ? 'delivered'
    : r.posted_at !== null
      ? 'handed-to-relay'
      : r.sealed_at !== null
        ? 'sealed'
        : 'not-sealed';

/**
 * The console's read of one partner's relay route (the narrow port the partner page uses):
 * the route, the last push and acknowledgement, and each release's delivery status, newest
 * first. Undefined when the partner is not reached through a relay.
 */
export async function loadRelayDelivery(
  sql: SqlDatabase,
  partnerId: string,
  limit = 200,
): Promise<RelayDeliveryView | undefined> {
  const route = await sql.get<{ relay_url: string; recipient: string }>(
    'SELECT relay_url, recipient FROM relay_routes WHERE partner_id = ?',
    [partnerId],
  );
  if (!route) return undefined;
  const summary = await sql.get<{
    n: number;
    last_push: string | null;
    last_delivered: number | null;
    unposted: number;
  }>(
    `SELECT count(*) AS n, max(posted_at) AS last_push,
       max(CASE WHEN delivered_at IS NOT NULL THEN sequence END) AS last_delivered,
       sum(CASE WHEN posted_at IS NULL THEN 1 ELSE 0 END) AS unposted
     FROM relay_outbox WHERE partner_id = ?`,
    [partnerId],
  );
  const rows = await sql.all<Row>(
    `SELECT r.release_id, r.derived_id, r.released_at, r.recalled_at,
       o.sequence, o.relay_index, o.sealed_at, o.posted_at, o.delivered_at
     FROM release_records r
     LEFT JOIN relay_outbox_releases x ON x.partner_id = r.partner_id AND x.release_id = r.release_id
     LEFT JOIN relay_outbox o ON o.partner_id = x.partner_id AND o.sequence = x.sequence
     WHERE r.partner_id = ?
     ORDER BY r.released_at DESC, r.release_id, o.sequence
     LIMIT ?`,
    [partnerId, limit + 1],
  );
  return {
    relayUrl: route.relay_url,
    recipient: route.recipient,
    envelopes: Number(summary?.n ?? 0),
    lastPush: summary?.last_push ?? null,
    lastDelivered: summary?.last_delivered == null ? null : Number(summary.last_delivered),
    unposted: Number(summary?.unposted ?? 0),
    refusedPosts: await new RelayOutboxStore(sql).pushFailures(partnerId),
    releases: rows.slice(0, limit).map((r) => ({
      releaseId: r.release_id,
      derivedId: r.derived_id,
      releasedAt: r.released_at,
      recalled: r.recalled_at !== null,
      status: statusOf(r),
      sequence: r.sequence == null ? null : Number(r.sequence),
      relayIndex: r.relay_index == null ? null : Number(r.relay_index),
      sealedAt: r.sealed_at,
      postedAt: r.posted_at,
      deliveredAt: r.delivered_at,
    })),
    truncated: rows.length > limit,
  };
}
