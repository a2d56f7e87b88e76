import type { SqlQueries } from '../sql/sql-database.js';

/**
 * What counts as a hop, over the latest version of each object:
 * - a relationship object joins its source_ref and target_ref: they are one hop apart, and the
 *   relationship itself belongs to the neighbourhood when both its ends do;
 * - any other reference (a sighting's sighting_of_ref and where_sighted_refs, a report's or
 *   note's object_refs, ...) joins the referring and the referred object, in either direction.
 * Provenance and marking references (created_by_ref, *_modified_by_ref, object_marking_refs,
 * granular markings) are not hops: they would put every object two hops from the hub itself.
 */
export function isHopPath(path: string): boolean {
  return !(
    path === 'created_by_ref' ||
    path.endsWith('modified_by_ref') ||
    path.startsWith('object_marking_refs') ||
    path.startsWith('granular_markings')
  );
}

/** The same test as isHopPath, in SQL over object_refs `r`. */
const HOP_PATH_SQL = `r.path <> 'created_by_ref' AND r.path NOT LIKE '%modified_by_ref'
              AND r.path NOT LIKE 'object_marking_refs%' AND r.path NOT LIKE 'granular_markings%'`;

/**
 * A walk's working state: each reached object's distance, and every relationship touching a
 * reached object (it belongs to the neighbourhood once both its ends do). Kept so that a walk can
 * be extended when edges are added (neighbourhood-extend.ts) instead of walked again.
 */
export interface NeighbourhoodWalk {
  readonly hops: number;
  readonly nodes: Map<string, number>;
  readonly relationships: Map<string, readonly [string, string]>;
}

/** Returns every id within `hops` of a seed (seeds at 0) with its distance. */
export async function findNeighbourhood(
  sql: SqlQueries,
  seeds: readonly string[],
  hops: number,
): Promise<Map<string, number>> {
  return neighbourhoodOf(await walkNeighbourhood(sql, seeds, hops));
}

/** The neighbourhood a walk found: its objects, and the relationships both of whose ends it holds. */
export function neighbourhoodOf(walk: NeighbourhoodWalk): Map<string, number> {
  const dist = new Map(walk.nodes);
  for (const [rel, [a, b]] of walk.relationships) {
    const da = walk.nodes.get(a);
    const db_ = walk.nodes.get(b);
    if (da !== undefined && db_ !== undefined && !dist.has(rel)) dist.set(rel, Math.max(da, db_));
  }
  return dist;
}

/** Breadth-first from the seeds, one level at a time, each level in chunks of ids. */
export async function walkNeighbourhood(
  sql: SqlQueries,
  seeds: readonly string[],
  hops: number,
): Promise<NeighbourhoodWalk> {
  const walk: NeighbourhoodWalk = {
    hops,
    nodes: new Map(seeds.map((s) => [s, 0])),
    relationships: new Map(),
  };
  let frontier = [...new Set(seeds)];
  for (let depth = 0; depth <= hops && frontier.length > 0; depth++) {
    const next: string[] = [];
    await expandLevel(sql, walk, frontier, depth, (id) => {
      if (!walk.nodes.has(id)) {
        walk.nodes.set(id, depth + 1);
        next.push(id);
      }
    });
    frontier = next;
  }
  return walk;
}

/**
 * Reads what touches `ids` (all at distance `depth`): records the relationships among them in
 * `walk`, and when `depth` is below the walk's hops hands every neighbour to `reach`.
 */
export async function expandLevel(
  sql: SqlQueries,
  walk: NeighbourhoodWalk,
  ids: readonly string[],
  depth: number,
  reach: (id: string) => void,
): Promise<void> {
  for (const chunk of chunks(ids, 400)) {
    const marks = chunk.map(() => '?').join(', ');
    // One branch per end, each entered through the dst_id index: an OR of the two ends makes
    // SQLite scan every reference once per chunk (EXPLAIN: SCAN s), 15x slower at 24k refs.
    const rels = await sql.all<{ rel: string; a: string; b: string }>(
      `SELECT o.id AS rel, s.dst_id AS a, t.dst_id AS b
           FROM object_refs s
           JOIN objects o ON o.added_us = s.src_added_us
           JOIN object_refs t ON t.src_added_us = o.added_us AND t.path = 'target_ref'
          WHERE s.dst_id IN (${marks}) AND s.path = 'source_ref'
            AND o.is_latest AND o.type = 'relationship'
         UNION
         SELECT o.id AS rel, s.dst_id AS a, t.dst_id AS b
           FROM object_refs t
           JOIN objects o ON o.added_us = t.src_added_us
           JOIN object_refs s ON s.src_added_us = o.added_us AND s.path = 'source_ref'
          WHERE t.dst_id IN (${marks}) AND t.path = 'target_ref'
            AND o.is_latest AND o.type = 'relationship'`,
      [...chunk, ...chunk],
    );
    for (const r of rels) {
      walk.relationships.set(r.rel, [r.a, r.b]);
      if (depth < walk.hops) {
        reach(r.a);
        reach(r.b);
      }
    }
    if (depth >= walk.hops) continue;
    // Outgoing (through the latest version's own refs) and incoming (through dst_id), each on
    // its index; an OR of the two would scan every reference.
    const others = await sql.all<{ a: string; b: string }>(
      `SELECT r.src_id AS a, r.dst_id AS b
           FROM objects o JOIN object_refs r ON r.src_added_us = o.added_us
          WHERE o.id IN (${marks}) AND o.is_latest AND o.type <> 'relationship' AND ${HOP_PATH_SQL}
         UNION ALL
         SELECT r.src_id AS a, r.dst_id AS b
           FROM object_refs r JOIN objects o ON o.added_us = r.src_added_us
          WHERE r.dst_id IN (${marks}) AND o.is_latest AND o.type <> 'relationship' AND ${HOP_PATH_SQL}`,
      [...chunk, ...chunk],
    );
    for (const r of others) {
      reach(r.a);
      reach(r.b);
    }
  }
}

function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
