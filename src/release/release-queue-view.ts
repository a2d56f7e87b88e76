import type { Reason } from '../store/hub/release-store.js';
import type { QueueReads } from '../store/read-ports.js';
import type { FacetReader } from '../store/release-ports.js';

/** One open queue item as a list sorts, filters and groups it: what every item of a queue costs. */
export interface QueueRow {
  id: string;
  partner_id: string;
  object_id: string;
  object_version: string;
  type: string;
  /** A name to read: the object's name, or `source -> verb -> target` for a relationship. */
  title: string;
  labels: string[];
  state: 'pending' | 'approved';
  approvals_required: number;
  tearline_digest: string;
  fingerprint: string;
  author: string | null;
  created_at: string;
  /** What pulled it into the queue: the report citing it, else the object it hangs from. */
  group: { key: string; title: string; kind: 'report' | 'object' };
}

/** One open queue item as officers see it: the row with its reasons and approvals, no copies. */
export interface QueueEntry extends QueueRow {
  /** Who decided so far, when, and how they proved who they were (never from where). */
  approvals: {
    approver: string;
    verdict: 'approve' | 'deny';
    at: string;
    comment: string | null;
    auth: string | null;
  }[];
  reasons: Reason[];
  removed: number;
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

/**
 * The open items matching `filter`, each titled and grouped: by the report that cites its object,
 * else by the object it hangs from (a relationship's source, a sighting's or note's subject), else
 * by itself, so an object and the relationships it pulls in sit together. Reasons and approvals
 * are left out: a page reads them for the items it shows (withDetails).
 */
export async function loadQueueRows(
  reads: QueueReads,
  filter: QueueFilter = {},
  facets: FacetReader = { of: (ids) => reads.objectFacets(ids) },
): Promise<QueueRow[]> {
  const rows = await reads.openQueueRows(filter.partnerId);
  const wanted = filter.ids ? new Set(filter.ids) : undefined;
  const items = wanted ? rows.filter((r) => wanted.has(r.item_id)) : rows;
  const facetOf = await facets.of(items.map((i) => i.object_id));
  const out: QueueRow[] = [];
  for (const r of items) {
    const facet = facetOf.get(r.object_id);
    const type = facet?.type ?? r.object_id.split('--')[0] ?? '';
    const labels = facet?.labels ?? [];
    if (filter.types && filter.types.length > 0 && !filter.types.includes(type)) continue;
    if (filter.labels && filter.labels.length > 0 && !labels.some((l) => filter.labels?.includes(l)))
      continue;
    const group = facet?.group ?? { key: r.object_id, title: r.object_id, kind: 'object' as const };
    if (filter.group !== undefined && group.key !== filter.group) continue;
    out.push({
      id: r.item_id,
      partner_id: r.partner_id,
      object_id: r.object_id,
      object_version: r.object_version,
      type,
      title: facet?.title ?? r.object_id,
      labels,
      state: r.state,
      approvals_required: r.approvals_required,
      tearline_digest: r.tearline_digest,
      fingerprint: r.fingerprint,
      author: r.author,
      created_at: r.created_at,
      group,
    });
  }
  return out;
}

/** The rows with their reasons, the number of properties removed and the approvals given, in order. */
export async function withDetails(reads: QueueReads, rows: readonly QueueRow[]): Promise<QueueEntry[]> {
  const { details, approvals: given } = await reads.queueItemDetails(rows.map((r) => r.id));
  const approvals = new Map(
    [...given].map(([id, list]) => [
      id,
      list.map((a) => ({
        approver: a.approver,
        verdict: a.verdict,
        at: a.at,
        comment: a.comment,
        auth: a.auth,
      })),
    ]),
  );
  return rows.map((r) => {
    const d = details.get(r.id);
    return {
      ...r,
      approvals: approvals.get(r.id) ?? [],
      reasons: d ? (JSON.parse(d.reasons) as Reason[]) : [],
      removed: d ? (JSON.parse(d.removed) as unknown[]).length : 0,
    };
  });
}

/** The open items matching `filter` with their details (loadQueueRows, then withDetails). */
export async function loadQueueEntries(
  reads: QueueReads,
  filter: QueueFilter = {},
  facets?: FacetReader,
): Promise<QueueEntry[]> {
  return withDetails(reads, await loadQueueRows(reads, filter, facets));
}

export type QueueSort = 'group' | 'age' | 'title' | 'type' | 'modified';
export const QUEUE_SORTS: readonly QueueSort[] = ['group', 'age', 'title', 'type', 'modified'];

/** Sorts entries in place; ties fall back to the item id, so pages never overlap. */
export function sortQueueEntries<T extends QueueRow>(entries: T[], sort: QueueSort, descending = false): T[] {
  const key = (e: QueueRow): string => {
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
