import type { SqlQueries } from '../sql/sql-database.js';

/*
 * The queue's reads for officers' lists and bulk decisions (src/release/release-queue-view.ts,
 * release-approval-bulk.ts). Item ids go in chunks of CHUNK, under both engines' parameter limits.
 */

const CHUNK = 400;

/** An open queue item (pending or approved), without its copy, reasons or removals. */
export interface OpenQueueRow {
  item_id: string;
  partner_id: string;
  object_id: string;
  object_version: string;
  approvals_required: number;
  tearline_digest: string;
  fingerprint: string;
  author: string | null;
  state: 'pending' | 'approved';
  created_at: string;
}

/** One officer's verdict on an item's current content. */
export interface QueueApprovalRow {
  item_id: string;
  approver: string;
  verdict: 'approve' | 'deny';
  at: string;
  comment: string | null;
  auth: string | null;
}

/** Open items, of one partner or all, oldest first (ties by item id). */
export function openQueueRows(sql: SqlQueries, partnerId?: string): Promise<OpenQueueRow[]> {
  return sql.all<OpenQueueRow>(
    `SELECT q.item_id, q.partner_id, q.object_id, q.object_version, q.approvals_required,
            q.tearline_digest, q.fingerprint, q.author, q.state, q.created_at
       FROM release_queue q WHERE q.state IN ('pending', 'approved')
        ${partnerId !== undefined ? 'AND q.partner_id = ?' : ''} ORDER BY q.created_at, q.item_id`,
    partnerId !== undefined ? [partnerId] : [],
  );
}

/**
 * The stored reasons and removals (JSON text) of items, and the approvals given to each item's
 * current content (an approval of an earlier copy no longer counts), in verdict order.
 */
export async function queueItemDetails(
  sql: SqlQueries,
  ids: readonly string[],
): Promise<{
  details: Map<string, { reasons: string; removed: string }>;
  approvals: Map<string, QueueApprovalRow[]>;
}> {
  const details = new Map<string, { reasons: string; removed: string }>();
  const approvals = new Map<string, QueueApprovalRow[]>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const marks = chunk.map(() => '?').join(', ');
    for (const d of await sql.all<{ item_id: string; reasons: string; removed: string }>(
      `SELECT item_id, reasons, removed FROM release_queue WHERE item_id IN (${marks})`,
      chunk,
    ))
      details.set(d.item_id, d);
    for (const a of await sql.all<QueueApprovalRow>(
      `SELECT a.item_id, a.approver, a.verdict, a.at, a.comment, a.auth FROM release_approvals a
         JOIN release_queue q ON q.item_id = a.item_id AND q.fingerprint = a.fingerprint
        WHERE a.item_id IN (${marks}) ORDER BY a.at, a.approver`,
      chunk,
    )) {
      const list = approvals.get(a.item_id) ?? [];
      list.push(a);
      approvals.set(a.item_id, list);
    }
  }
  return { details, approvals };
}

/** What the tearline removed from each item's copy, parsed. */
export async function queueItemRemovals(
  sql: SqlQueries,
  ids: readonly string[],
): Promise<Map<string, { path: string; rule: string }[]>> {
  const out = new Map<string, { path: string; rule: string }[]>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const rows = await sql.all<{ item_id: string; removed: string }>(
      `SELECT item_id, removed FROM release_queue WHERE item_id IN (${chunk.map(() => '?').join(', ')})`,
      chunk,
    );
    for (const r of rows) out.set(r.item_id, JSON.parse(r.removed) as { path: string; rule: string }[]);
  }
  return out;
}
