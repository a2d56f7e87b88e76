import type { SqlQueries } from '../sql/sql-database.js';
import { expandLevel, isHopPath, type NeighbourhoodWalk } from './neighbourhood.js';

/** An edge stored since a mark: a relationship's two ends, or a reference between two objects. */
export interface AddedEdge {
  readonly rel?: string;
  readonly a: string;
  readonly b: string;
}

/**
 * The edges stored after `from` up to and including `to` (objectsMark values), when those writes
 * only added: every version in between is of an id not stored before and is still the latest.
 * Anything else (a new version of a stored object, which may drop an edge) returns undefined, and
 * so does a change larger than `maxObjects` objects or `maxRefs` references: walk again.
 */
export async function readAddedEdges(
  sql: SqlQueries,
  from: string,
  to: string,
  maxObjects: number,
  maxRefs: number,
): Promise<AddedEdge[] | undefined> {
  const lo = from === '' ? -1 : Number(from);
  const hi = Number(to);
  const objects = await sql.all<{ latest: number; seen: number }>(
    `SELECT CASE WHEN o.is_latest THEN 1 ELSE 0 END AS latest,
            CASE WHEN EXISTS (SELECT 1 FROM objects p WHERE p.id = o.id AND p.added_us <= ?)
                 THEN 1 ELSE 0 END AS seen
       FROM objects o WHERE o.added_us > ? AND o.added_us <= ? LIMIT ?`,
    [lo, lo, hi, maxObjects + 1],
  );
  if (objects.length > maxObjects) return undefined;
  if (objects.some((o) => Number(o.latest) !== 1 || Number(o.seen) !== 0)) return undefined;
  const refs = await sql.all<{ src: string; type: string; path: string; dst: string }>(
    `SELECT o.id AS src, o.type AS type, r.path AS path, r.dst_id AS dst
       FROM objects o JOIN object_refs r ON r.src_added_us = o.added_us
      WHERE o.added_us > ? AND o.added_us <= ? LIMIT ?`,
    [lo, hi, maxRefs + 1],
  );
  if (refs.length > maxRefs) return undefined;
  const edges: AddedEdge[] = [];
  const ends = new Map<string, { a?: string; b?: string }>();
  for (const r of refs) {
    if (r.type === 'relationship') {
      const e = ends.get(r.src) ?? {};
      if (r.path === 'source_ref') e.a = r.dst;
      else if (r.path === 'target_ref') e.b = r.dst;
      ends.set(r.src, e);
    } else if (isHopPath(r.path)) edges.push({ a: r.src, b: r.dst });
  }
  for (const [rel, { a, b }] of ends) if (a !== undefined && b !== undefined) edges.push({ rel, a, b });
  return edges;
}

/**
 * Extends a walk of the graph as it was to the graph with `edges` added (and already stored).
 * Adding edges only shortens distances, so only objects an added edge brings closer are walked
 * from, level by level as walkNeighbourhood does; an object reached for the first time also has
 * its relationships read. The result equals a fresh walk of the graph with the edges added (the
 * property test in neighbourhood-cache.test.ts holds it to that).
 */
export async function extendNeighbourhood(
  sql: SqlQueries,
  walk: NeighbourhoodWalk,
  edges: readonly AddedEdge[],
): Promise<void> {
  const { nodes, hops } = walk;
  const levels = Array.from({ length: hops + 1 }, () => new Set<string>());
  const fresh = new Set<string>();
  const lower = (id: string, d: number) => {
    if (d > hops) return;
    const held = nodes.get(id);
    if (held !== undefined && held <= d) return;
    if (held === undefined) fresh.add(id);
    nodes.set(id, d);
    levels[d]?.add(id);
  };
  for (const e of edges) {
    const da = nodes.get(e.a);
    const db_ = nodes.get(e.b);
    if (da !== undefined) lower(e.b, da + 1);
    if (db_ !== undefined) lower(e.a, db_ + 1);
  }
  for (let depth = 0; depth <= hops; depth++) {
    // Lowered again since it was put here: walked at its lower level already.
    const level = [...(levels[depth] ?? [])].filter((id) => nodes.get(id) === depth);
    // At the last level nothing is reached: only objects new to the walk need their relationships.
    const walked = depth < hops ? level : level.filter((id) => fresh.has(id));
    if (walked.length > 0) await expandLevel(sql, walk, walked, depth, (id) => lower(id, depth + 1));
  }
  // A new relationship touching an object the walk held before: no walk from that object read it.
  for (const e of edges) {
    if (e.rel !== undefined && (nodes.has(e.a) || nodes.has(e.b))) walk.relationships.set(e.rel, [e.a, e.b]);
  }
}
