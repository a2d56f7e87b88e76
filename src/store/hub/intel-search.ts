import type { SqlQueries } from '../sql/sql-database.js';
import { findNeighbourhood } from './neighbourhood.js';

/*
 * The console's intel list and object page reads (src/api/api-intel.ts). The caller checks its
 * input (lengths, dates, page bounds); these build only parameterised SQL from it.
 */

/** The filters of an intel search, each optional: text, type, label, marking, actor, created from/to. */
export interface IntelFilters {
  q?: string;
  type?: string;
  label?: string;
  marking?: string;
  /** Only objects within two hops of this threat actor. */
  actor?: string;
  from?: string;
  to?: string;
}

/** A search the caller has checked: every string bounded, dates well-formed, page and size whole. */
export interface IntelSearch extends IntelFilters {
  sort: IntelSort;
  descending: boolean;
  page: number;
  size: number;
}

export type IntelSearchRow = {
  id: string;
  type: string;
  created: string | null;
  modified: string | null;
  json: string;
};

const SORTS = {
  modified: 'coalesce(modified, created)',
  created: 'created',
  added: 'added_us',
} as const;
export type IntelSort = keyof typeof SORTS;
export const INTEL_SORTS = Object.keys(SORTS) as IntelSort[];

export function labelsOf(json: string): string[] {
  const o = JSON.parse(json) as { labels?: unknown };
  return Array.isArray(o.labels) ? o.labels.filter((l): l is string => typeof l === 'string') : [];
}

/**
 * Latest versions matching every given filter, sorted and paged; text matches anywhere in the
 * JSON, case-insensitively. Labels and the actor's neighbourhood are checked on the rows (no
 * column holds them), so those filters read every candidate; the others page in the database.
 */
export async function searchLatestObjects(
  sql: SqlQueries,
  s: IntelSearch,
): Promise<{ rows: IntelSearchRow[]; total: number }> {
  const where = ['is_latest'];
  const args: (string | number)[] = [];
  const like = (t: string) => `%${t.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  if (s.q) {
    // Case-insensitive on both engines (PostgreSQL's LIKE is not).
    where.push("lower(json) LIKE lower(?) ESCAPE '\\'");
    args.push(like(s.q));
  }
  if (s.type) {
    where.push('type = ?');
    args.push(s.type);
  }
  if (s.marking) {
    where.push("json LIKE ? ESCAPE '\\'");
    args.push(like(`"${s.marking}"`));
  }
  if (s.label) {
    // A cheap first cut (the label's text anywhere); the label itself is checked on each row below.
    where.push("json LIKE ? ESCAPE '\\'");
    args.push(like(s.label));
  }
  if (s.from) {
    where.push('created >= ?');
    args.push(s.from);
  }
  if (s.to) {
    where.push('created <= ?');
    args.push(s.to.length === 10 ? `${s.to}T23:59:59.999Z` : s.to);
  }
  const order = `${SORTS[s.sort]} ${s.descending ? 'DESC' : 'ASC'}, id`;
  const select = `SELECT id, type, created, modified, json FROM objects WHERE ${where.join(' AND ')} ORDER BY ${order}`;
  const { page, size } = s;
  if (s.label || s.actor) {
    let all = await sql.all<IntelSearchRow>(select, args);
    if (s.label) {
      const label = s.label;
      all = all.filter((r) => labelsOf(r.json).includes(label));
    }
    if (s.actor) {
      const near = await findNeighbourhood(sql, [s.actor], 2);
      all = all.filter((r) => near.has(r.id));
    }
    return { rows: all.slice((page - 1) * size, page * size), total: all.length };
  }
  const counted = await sql.get<{ n: number }>(
    `SELECT count(*) AS n FROM objects WHERE ${where.join(' AND ')}`,
    args,
  );
  const rows = await sql.all<IntelSearchRow>(`${select} LIMIT ? OFFSET ?`, [
    ...args,
    size,
    (page - 1) * size,
  ]);
  return { rows, total: Number(counted?.n ?? 0) };
}

/** The outcome the release pass recorded for each (object, partner) of `objectIds`: object id -> partner id -> outcome. */
export async function recordedOutcomesOf(
  sql: SqlQueries,
  objectIds: readonly string[],
): Promise<Map<string, Record<string, string>>> {
  const recorded = new Map<string, Record<string, string>>();
  if (objectIds.length === 0) return recorded;
  const rows = await sql.all<{ partner_id: string; object_id: string; outcome: string }>(
    `SELECT partner_id, object_id, outcome FROM release_outcomes WHERE object_id IN (${objectIds.map(() => '?').join(', ')})`,
    [...objectIds],
  );
  for (const row of rows) {
    const m = recorded.get(row.object_id) ?? {};
    m[row.partner_id] = row.outcome;
    recorded.set(row.object_id, m);
  }
  return recorded;
}

/** One stored version of an object, as the object page lists them. */
export interface StoredVersion {
  version: string;
  added_us: number;
  source: string;
  imported_by: string | null;
  is_latest: boolean;
  json: string;
}

/** Every stored version of an object, oldest first. */
export async function storedVersionsOf(sql: SqlQueries, id: string): Promise<StoredVersion[]> {
  // is_latest is an integer in SQLite and a boolean in PostgreSQL: read it as 0/1 on both.
  const rows = await sql.all<Omit<StoredVersion, 'is_latest'> & { is_latest: number }>(
    `SELECT version, added_us, source, imported_by, CASE WHEN is_latest THEN 1 ELSE 0 END AS is_latest, json
       FROM objects WHERE id = ? ORDER BY added_us`,
    [id],
  );
  return rows.map((r) => ({ ...r, added_us: Number(r.added_us), is_latest: Number(r.is_latest) === 1 }));
}
