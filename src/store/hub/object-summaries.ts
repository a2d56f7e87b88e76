import type { ObjectSummary } from '../console-shapes.js';
import type { SqlQueries } from '../sql/sql-database.js';

export type { ObjectSummary };

interface Row {
  id: string;
  type: string;
  created: string | null;
  modified: string | null;
  json: string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function summarise(row: Row): ObjectSummary {
  const o = JSON.parse(row.json) as Record<string, unknown>;
  const name =
    str(o.name) ??
    (row.type === 'relationship'
      ? `${str(o.relationship_type) ?? 'related-to'}`
      : row.type === 'sighting'
        ? `sighting (${typeof o.count === 'number' ? o.count : 1})`
        : (str(o.content)?.slice(0, 80) ?? str(o.pattern)?.slice(0, 80) ?? row.id));
  const when =
    str(o.first_seen) ?? str(o.published) ?? str(o.last_seen) ?? str(o.valid_from) ?? row.created ?? null;
  const markings = Array.isArray(o.object_marking_refs)
    ? o.object_marking_refs.filter((m): m is string => typeof m === 'string')
    : [];
  return { id: row.id, type: row.type, name, created: row.created, modified: row.modified, when, markings };
}

export async function readLatest(sql: SqlQueries, ids: readonly string[]): Promise<ObjectSummary[]> {
  const out: ObjectSummary[] = [];
  for (let i = 0; i < ids.length; i += 400) {
    const chunk = ids.slice(i, i + 400);
    const rows = await sql.all<Row>(
      `SELECT id, type, created, modified, json FROM objects
        WHERE is_latest AND id IN (${chunk.map(() => '?').join(', ')}) ORDER BY added_us`,
      chunk,
    );
    out.push(...rows.map(summarise));
  }
  return out;
}

export interface GraphEdge {
  source: string;
  target: string;
  label: string;
}

/**
 * The objects one hop from `id` and the edges between: relationships as labelled edges, other
 * references (sightings, reports, notes) as edges named by their property. Provenance and
 * marking references are left out, as the neighbourhood of the policy leaves them out.
 */
export async function readGraphAround(
  sql: SqlQueries,
  id: string,
): Promise<{ nodes: ObjectSummary[]; edges: GraphEdge[] }> {
  const edges: GraphEdge[] = [];
  const rels = await sql.all<{ json: string; a: string; b: string }>(
    `SELECT o.json AS json, s.dst_id AS a, t.dst_id AS b
       FROM objects o
       JOIN object_refs s ON s.src_added_us = o.added_us AND s.path = 'source_ref'
       JOIN object_refs t ON t.src_added_us = o.added_us AND t.path = 'target_ref'
      WHERE o.is_latest AND o.type = 'relationship' AND (s.dst_id = ? OR t.dst_id = ?)
      ORDER BY o.added_us`,
    [id, id],
  );
  for (const r of rels) {
    const label = str((JSON.parse(r.json) as Record<string, unknown>).relationship_type) ?? 'related-to';
    edges.push({ source: r.a, target: r.b, label });
  }
  const notStructural = `r.path <> 'created_by_ref' AND r.path NOT LIKE '%modified_by_ref'
    AND r.path NOT LIKE 'object_marking_refs%' AND r.path NOT LIKE 'granular_markings%'
    AND r.path NOT IN ('source_ref', 'target_ref')`;
  const refs = await sql.all<{ a: string; b: string; path: string }>(
    `SELECT r.src_id AS a, r.dst_id AS b, r.path AS path FROM objects o JOIN object_refs r ON r.src_added_us = o.added_us
      WHERE o.is_latest AND (r.src_id = ? OR r.dst_id = ?) AND ${notStructural}
      ORDER BY o.added_us, r.path`,
    [id, id],
  );
  for (const r of refs) edges.push({ source: r.a, target: r.b, label: r.path.replace(/\[\d+\]/g, '') });
  const ids = new Set<string>([id]);
  for (const e of edges) ids.add(e.source).add(e.target);
  const nodes = await readLatest(sql, [...ids]);
  const known = new Set(nodes.map((n) => n.id));
  return { nodes, edges: edges.filter((e) => known.has(e.source) && known.has(e.target)) };
}
