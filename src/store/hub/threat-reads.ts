import type { SqlQueries } from '../sql/sql-database.js';

/*
 * The reads behind the console's threat picture (api/api-threat.ts): actors by activity, the
 * incidents of a neighbourhood and when its objects were released. Ids go in chunks of a few
 * hundred, one query each, so neither engine meets a parameter limit.
 */

const ACTOR_TYPES = ['intrusion-set', 'threat-actor', 'campaign'];

/** Actors by activity: how many non-provenance references join them to other objects. */
export async function listActors(
  sql: SqlQueries,
): Promise<{ id: string; name: string; type: string; activity: number }[]> {
  const actors = await sql.all<{ id: string; type: string; json: string }>(
    `SELECT id, type, json FROM objects WHERE is_latest AND type IN (${ACTOR_TYPES.map(() => '?').join(', ')})`,
    ACTOR_TYPES,
  );
  // Every actor's count in one query: one per actor would be a round trip each on PostgreSQL.
  const counts = new Map<string, number>();
  for (let i = 0; i < actors.length; i += 400) {
    const chunk = actors.slice(i, i + 400).map((a) => a.id);
    const rows = await sql.all<{ id: string; n: number }>(
      `SELECT r.dst_id AS id, count(*) AS n FROM object_refs r JOIN objects o ON o.added_us = r.src_added_us
        WHERE o.is_latest AND r.dst_id IN (${chunk.map(() => '?').join(', ')})
          AND r.path NOT LIKE 'object_marking_refs%' AND r.path <> 'created_by_ref'
        GROUP BY r.dst_id`,
      chunk,
    );
    for (const r of rows) counts.set(r.id, r.n);
  }
  return actors
    .map((a) => {
      const o = JSON.parse(a.json) as { name?: unknown };
      return {
        id: a.id,
        type: a.type,
        name: typeof o.name === 'string' ? o.name : a.id,
        activity: counts.get(a.id) ?? 0,
      };
    })
    .sort((x, y) => y.activity - x.activity || x.name.localeCompare(y.name));
}

/** The latest JSON of each of these incidents, by id (ids that are no incident are left out). */
export async function readIncidentJson(
  sql: SqlQueries,
  ids: readonly string[],
): Promise<Map<string, Record<string, unknown>>> {
  const out = new Map<string, Record<string, unknown>>();
  for (let i = 0; i < ids.length; i += 400) {
    const chunk = ids.slice(i, i + 400);
    const rows = await sql.all<{ id: string; json: string }>(
      `SELECT id, json FROM objects WHERE is_latest AND type = 'incident' AND id IN (${chunk.map(() => '?').join(', ')})`,
      chunk,
    );
    for (const r of rows) out.set(r.id, JSON.parse(r.json) as Record<string, unknown>);
  }
  return out;
}

/** When each release of these originals was made and to which partner (its id), one per release. */
export async function readReleaseTimes(
  sql: SqlQueries,
  originalIds: readonly string[],
): Promise<{ at: string; partnerId: string }[]> {
  const out: { at: string; partnerId: string }[] = [];
  for (let i = 0; i < originalIds.length; i += 500) {
    const chunk = originalIds.slice(i, i + 500);
    const rows = await sql.all<{ released_at: string; partner_id: string }>(
      `SELECT released_at, partner_id FROM release_records WHERE original_id IN (${chunk.map(() => '?').join(', ')})`,
      chunk,
    );
    for (const r of rows) out.push({ at: r.released_at, partnerId: r.partner_id });
  }
  return out;
}

/** The first_seen and last_seen of each of these actors (campaigns, intrusion sets, threat actors). */
export async function readActorSeen(
  sql: SqlQueries,
  ids: readonly string[],
): Promise<{ id: string; first_seen?: string; last_seen?: string }[]> {
  const out: { id: string; first_seen?: string; last_seen?: string }[] = [];
  for (let i = 0; i < ids.length; i += 400) {
    const chunk = ids.slice(i, i + 400);
    const rows = await sql.all<{ id: string; json: string }>(
      `SELECT id, json FROM objects WHERE is_latest AND type IN (${ACTOR_TYPES.map(() => '?').join(', ')})
          AND id IN (${chunk.map(() => '?').join(', ')})`,
      [...ACTOR_TYPES, ...chunk],
    );
    for (const r of rows) {
      const o = JSON.parse(r.json) as { first_seen?: unknown; last_seen?: unknown };
      out.push({
        id: r.id,
        ...(typeof o.first_seen === 'string' && { first_seen: o.first_seen }),
        ...(typeof o.last_seen === 'string' && { last_seen: o.last_seen }),
      });
    }
  }
  return out;
}
