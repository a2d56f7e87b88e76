import type { JsonObject } from '../../stix/types.js';
import type { SqlQueries } from '../sql/sql-database.js';

/*
 * The object reads of a release pass and of one-object decisions (src/release/release-pass-plan.ts,
 * release-closure.ts): latest versions in store order, what changed between two cursors, and who
 * depends on what. Ids are sent in chunks: one IN list per CHUNK ids keeps every statement under
 * both engines' parameter limits.
 */

/** A latest object version as a pass reads it. */
export interface PassObjectRow {
  added_us: number | string;
  id: string;
  version: string;
  imported_by: string | null;
  json: string;
}

const CHUNK = 400;
const COLUMNS = 'added_us, id, version, imported_by, json';

/** Every latest object version, in store order. */
export function latestObjectRows(sql: SqlQueries): Promise<PassObjectRow[]> {
  return sql.all<PassObjectRow>(`SELECT ${COLUMNS} FROM objects WHERE is_latest ORDER BY added_us`);
}

/** The latest versions of `ids` the hub holds (any order; ids it does not hold are left out). */
export async function latestObjectRowsOf(sql: SqlQueries, ids: readonly string[]): Promise<PassObjectRow[]> {
  const out: PassObjectRow[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    out.push(
      ...(await sql.all<PassObjectRow>(
        `SELECT ${COLUMNS} FROM objects WHERE is_latest AND id IN (${chunk.map(() => '?').join(', ')})`,
        chunk,
      )),
    );
  }
  return out;
}

/** The latest versions of `ids`, parsed (release-closure's LatestObjects). */
export async function latestObjectsOf(sql: SqlQueries, ids: readonly string[]): Promise<JsonObject[]> {
  const out: JsonObject[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const rows = await sql.all<{ json: string }>(
      `SELECT json FROM objects WHERE is_latest AND id IN (${chunk.map(() => '?').join(', ')})`,
      chunk,
    );
    for (const r of rows) out.push(JSON.parse(r.json) as JsonObject);
  }
  return out;
}

/** Ids of objects whose latest version was stored in (afterUs, uptoUs]: through the primary key. */
export async function latestIdsStoredBetween(
  sql: SqlQueries,
  afterUs: number,
  uptoUs: number,
): Promise<string[]> {
  const rows = await sql.all<{ id: string }>(
    'SELECT id FROM objects WHERE added_us > ? AND added_us <= ? AND is_latest',
    [afterUs, uptoUs],
  );
  return rows.map((r) => r.id);
}

// References the sanitiser rewrites itself (creator, markings) make no dependency (OWN_REFS in
// tearline-references.ts): a changed identity or marking does not re-decide what names it.
const DEPENDENCY_PATH = `r.path <> 'created_by_ref'
  AND r.path NOT LIKE 'object\\_marking\\_refs[%' ESCAPE '\\'
  AND r.path NOT LIKE 'granular\\_markings[%' ESCAPE '\\'`;

/**
 * Ids of latest objects that reference one of `ids` in a way their tearline depends on (one step,
 * through the object_refs dst_id index); may repeat across chunks.
 */
export async function directDependentIds(sql: SqlQueries, ids: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const rows = await sql.all<{ id: string }>(
      `SELECT DISTINCT o.id FROM object_refs r JOIN objects o ON o.added_us = r.src_added_us
        WHERE r.dst_id IN (${chunk.map(() => '?').join(', ')}) AND o.is_latest AND ${DEPENDENCY_PATH}`,
      chunk,
    );
    for (const r of rows) out.push(r.id);
  }
  return out;
}
