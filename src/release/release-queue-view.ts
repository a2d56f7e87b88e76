import type { JsonObject } from '../stix/types.js';
import type { Reason } from '../store/hub/release-store.js';
import type { SqlQueries } from '../store/sql/sql-database.js';

/** One open queue item as officers see it in a list: no copies, which are read per item. */
export interface QueueEntry {
  id: string;
  partner_id: string;
  object_id: string;
  object_version: string;
  type: string;
  /** A name to read: the object's name, or `source -> verb -> target` for a relationship. */
  title: string;
  labels: string[];
  state: 'pending' | 'approved';
  /** Who decided so far, when, and how they proved who they were (never from where). */
  approvals: {
    approver: string;
    verdict: 'approve' | 'deny';
    at: string;
    comment: string | null;
    auth: string | null;
  }[];
  approvals_required: number;
  reasons: Reason[];
  removed: number;
  tearline_digest: string;
  fingerprint: string;
  author: string | null;
  created_at: string;
  /** What pulled it into the queue: the report citing it, else the object it hangs from. */
  group: { key: string; title: string; kind: 'report' | 'object' };
}

export interface QueueFilter {
  partnerId?: string;
  types?: readonly string[];
  labels?: readonly string[];
  /** Only items of this group (a report id, or the object the items hang from). */
  group?: string;
  /** Only these items. */
  ids?: readonly string[];
}

const OPEN = "q.state IN ('pending', 'approved')";
const CHUNK = 400;

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function nameOf(o: JsonObject | undefined, id: string): string {
  if (!o) return id;
  return str(o.name) ?? str(o.value) ?? str(o.abstract) ?? str(o.content)?.slice(0, 80) ?? id;
}

async function latestByIds(sql: SqlQueries, ids: readonly string[]): Promise<Map<string, JsonObject>> {
  const out = new Map<string, JsonObject>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const chunk = unique.slice(i, i + CHUNK);
    const rows = await sql.all<{ id: string; json: string }>(
      `SELECT id, json FROM objects WHERE is_latest AND id IN (${chunk.map(() => '?').join(', ')})`,
      chunk,
    );
    for (const r of rows) out.set(r.id, JSON.parse(r.json) as JsonObject);
  }
  return out;
}

/** For each id, the latest report citing it (object_refs), if any: the smallest report id wins. */
async function reportsCiting(sql: SqlQueries, ids: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const chunk = unique.slice(i, i + CHUNK);
    const rows = await sql.all<{ dst_id: string; src_id: string }>(
      `SELECT r.dst_id AS dst_id, min(r.src_id) AS src_id FROM object_refs r
         JOIN objects o ON o.added_us = r.src_added_us
        WHERE o.is_latest AND o.type = 'report' AND r.path LIKE 'object_refs%'
          AND r.dst_id IN (${chunk.map(() => '?').join(', ')})
        GROUP BY r.dst_id`,
      chunk,
    );
    for (const r of rows) out.set(r.dst_id, r.src_id);
  }
  return out;
}

/**
 * The open items matching `filter`, each titled and grouped: by the report that cites its object,
 * else by the object it hangs from (a relationship's source, a sighting's or note's subject), else
 * by itself, so an object and the relationships it pulls in sit together.
 */
export async function loadQueueEntries(sql: SqlQueries, filter: QueueFilter = {}): Promise<QueueEntry[]> {
  const where = [OPEN];
  const args: string[] = [];
  if (filter.partnerId !== undefined) {
    where.push('q.partner_id = ?');
    args.push(filter.partnerId);
  }
  const rows = await sql.all<{
    item_id: string;
    partner_id: string;
    object_id: string;
    object_version: string;
    approvals_required: number;
    removed: string;
    reasons: string;
    tearline_digest: string;
    fingerprint: string;
    author: string | null;
    state: 'pending' | 'approved';
    created_at: string;
  }>(
    `SELECT q.item_id, q.partner_id, q.object_id, q.object_version, q.approvals_required, q.removed, q.reasons,
            q.tearline_digest, q.fingerprint, q.author, q.state, q.created_at
       FROM release_queue q WHERE ${where.join(' AND ')} ORDER BY q.created_at, q.item_id`,
    args,
  );
  const wanted = filter.ids ? new Set(filter.ids) : undefined;
  const items = wanted ? rows.filter((r) => wanted.has(r.item_id)) : rows;
  const approvals = new Map<string, QueueEntry['approvals']>();
  const given = await sql.all<{
    item_id: string;
    approver: string;
    verdict: 'approve' | 'deny';
    at: string;
    comment: string | null;
    auth: string | null;
  }>(
    `SELECT a.item_id, a.approver, a.verdict, a.at, a.comment, a.auth FROM release_approvals a
       JOIN release_queue q ON q.item_id = a.item_id AND q.fingerprint = a.fingerprint
      WHERE ${where.join(' AND ')} ORDER BY a.at, a.approver`,
    args,
  );
  for (const a of given) {
    const list = approvals.get(a.item_id) ?? [];
    list.push({ approver: a.approver, verdict: a.verdict, at: a.at, comment: a.comment, auth: a.auth });
    approvals.set(a.item_id, list);
  }
  const objects = await latestByIds(
    sql,
    items.map((i) => i.object_id),
  );
  // What the items hang from (relationship ends, subjects): their names title the items.
  const related: string[] = [];
  for (const o of objects.values()) {
    for (const key of ['source_ref', 'target_ref', 'sighting_of_ref'] as const) {
      const ref = str(o[key]);
      if (ref) related.push(ref);
    }
  }
  const ends = await latestByIds(sql, related);
  const named = (id: string) => nameOf(objects.get(id) ?? ends.get(id), id);
  const reports = await reportsCiting(
    sql,
    items.map((i) => i.object_id),
  );
  const reportObjects = await latestByIds(sql, [...reports.values()]);
  const out: QueueEntry[] = [];
  for (const r of items) {
    const o = objects.get(r.object_id);
    const type = str(o?.type) ?? r.object_id.split('--')[0] ?? '';
    const labels = Array.isArray(o?.labels) ? o.labels.filter((l): l is string => typeof l === 'string') : [];
    if (filter.types && filter.types.length > 0 && !filter.types.includes(type)) continue;
    if (filter.labels && filter.labels.length > 0 && !labels.some((l) => filter.labels?.includes(l)))
      continue;
    let title = named(r.object_id);
    let anchor = r.object_id;
    if (o && type === 'relationship') {
      const source = str(o.source_ref) ?? '';
      title = `${named(source)} -> ${str(o.relationship_type) ?? 'related-to'} -> ${named(str(o.target_ref) ?? '')}`;
      anchor = source || r.object_id;
    } else if (o && (type === 'sighting' || type === 'note' || type === 'opinion')) {
      const subject =
        str(o.sighting_of_ref) ?? (Array.isArray(o.object_refs) ? str(o.object_refs[0]) : undefined);
      if (subject) anchor = subject;
    }
    const report = reports.get(r.object_id);
    const group: QueueEntry['group'] = report
      ? { key: report, title: `report: ${nameOf(reportObjects.get(report), report)}`, kind: 'report' }
      : { key: anchor, title: named(anchor), kind: 'object' };
    if (filter.group !== undefined && group.key !== filter.group) continue;
    out.push({
      id: r.item_id,
      partner_id: r.partner_id,
      object_id: r.object_id,
      object_version: r.object_version,
      type,
      title,
      labels,
      state: r.state,
      approvals: approvals.get(r.item_id) ?? [],
      approvals_required: r.approvals_required,
      reasons: JSON.parse(r.reasons) as Reason[],
      removed: (JSON.parse(r.removed) as unknown[]).length,
      tearline_digest: r.tearline_digest,
      fingerprint: r.fingerprint,
      author: r.author,
      created_at: r.created_at,
      group,
    });
  }
  return out;
}

export type QueueSort = 'group' | 'age' | 'title' | 'type' | 'modified';
export const QUEUE_SORTS: readonly QueueSort[] = ['group', 'age', 'title', 'type', 'modified'];

/** Sorts entries in place; ties fall back to the item id, so pages never overlap. */
export function sortQueueEntries(entries: QueueEntry[], sort: QueueSort, descending = false): QueueEntry[] {
  const key = (e: QueueEntry): string => {
    switch (sort) {
      case 'group':
        return `${e.group.title}\u0000${e.group.key}\u0000${e.group.key === e.object_id ? '0' : '1'}${e.title}`;
      case 'age':
        return e.created_at;
      case 'title':
        return e.title.toLowerCase();
      case 'type':
        return `${e.type}\u0000${e.title.toLowerCase()}`;
      case 'modified':
        return e.object_version;
    }
  };
  const keys = new Map(entries.map((e) => [e, key(e)]));
  entries.sort((a, b) => {
    const ka = keys.get(a) as string;
    const kb = keys.get(b) as string;
    const c = ka < kb ? -1 : ka > kb ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    return descending ? -c : c;
  });
  return entries;
}
