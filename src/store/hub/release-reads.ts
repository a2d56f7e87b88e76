import type { JsonObject } from '../../stix/types.js';
import type { SqlQueries } from '../sql/sql-database.js';

/*
 * What publishing and recalling read of a partner's releases, its submissions and the objects
 * (src/release/release-publish.ts, release-recall.ts, release-approval-bulk.ts). `sql` is the
 * hub's database or an open transaction: inside one, these see its own writes.
 */

/** A LIKE pattern matching text that contains `s` (with ESCAPE '\\'), on both engines. */
function containing(s: string): string {
  return `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Which of `ids` the partner holds a live (not withdrawn) release of: one query for all. */
export async function releasedAmong(
  sql: SqlQueries,
  partnerId: string,
  ids: readonly string[],
): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await sql.all<{ object_id: string }>(
    `SELECT DISTINCT object_id FROM releases
      WHERE partner_id = ? AND withdrawn = 0 AND object_id IN (${ids.map(() => '?').join(', ')})`,
    [partnerId, ...ids],
  );
  return rows.map((r) => r.object_id);
}

/** Whether the partner's feed has any row for the object (live or withdrawn). */
export async function hasFeedRow(sql: SqlQueries, partnerId: string, objectId: string): Promise<boolean> {
  const row = await sql.get('SELECT 1 AS one FROM releases WHERE partner_id = ? AND object_id = ? LIMIT 1', [
    partnerId,
    objectId,
  ]);
  return row !== undefined;
}

/** The latest version of an object the hub holds, parsed. */
export async function latestObjectOf(sql: SqlQueries, id: string): Promise<JsonObject | undefined> {
  const row = await sql.get<{ json: string }>('SELECT json FROM objects WHERE id = ? AND is_latest', [id]);
  return row && (JSON.parse(row.json) as JsonObject);
}

/** One stored version of an object, parsed. */
export async function objectVersionOf(
  sql: SqlQueries,
  id: string,
  version: string,
): Promise<JsonObject | undefined> {
  const row = await sql.get<{ json: string }>('SELECT json FROM objects WHERE id = ? AND version = ?', [
    id,
    version,
  ]);
  return row && (JSON.parse(row.json) as JsonObject);
}

/**
 * Originals of the partner's feed rows of `types` whose copy names `derivedId` (exactly: LIKE
 * narrows, case-insensitively on SQLite, and the text test decides).
 */
export async function feedOriginalsNaming(
  sql: SqlQueries,
  partnerId: string,
  types: readonly string[],
  derivedId: string,
): Promise<string[]> {
  const rows = await sql.all<{ original_id: string; json: string }>(
    `SELECT original_id, json FROM releases
        WHERE partner_id = ? AND type IN (${types.map(() => '?').join(', ')}) AND json LIKE ? ESCAPE '\\'`,
    [partnerId, ...types, containing(derivedId)],
  );
  return rows.filter((d) => d.json.includes(derivedId)).map((d) => d.original_id);
}

/** A recalled release, as its record holds it. */
export interface RecalledRecord {
  partner_id: string;
  release_id: string;
  original_id: string;
  derived_id: string;
  recalled_at: string;
  recall_reason: string;
}

/** Recalled releases, of one partner or all, in recall order. */
export function recalledRecords(sql: SqlQueries, partnerId?: string): Promise<RecalledRecord[]> {
  return sql.all<RecalledRecord>(
    `SELECT partner_id, release_id, original_id, derived_id, recalled_at, recall_reason FROM release_records
      WHERE recalled_at IS NOT NULL ${partnerId ? 'AND partner_id = ?' : ''} ORDER BY recalled_at, release_id`,
    partnerId ? [partnerId] : [],
  );
}

/**
 * STIX notes the partner submitted at or after `sinceUs` whose text names `derivedId` (LIKE
 * narrows; the caller checks object_refs), in submission order, parsed, with their positions.
 */
export async function submittedNotesNaming(
  sql: SqlQueries,
  partnerId: string,
  sinceUs: number,
  derivedId: string,
): Promise<{ pos_us: number; note: JsonObject }[]> {
  const rows = await sql.all<{ pos_us: number | string; json: string }>(
    `SELECT pos_us, json FROM taxii_submissions
        WHERE partner_id = ? AND type = 'note' AND pos_us >= ? AND json LIKE ? ESCAPE '\\' ORDER BY pos_us`,
    [partnerId, sinceUs, containing(derivedId)],
  );
  return rows.map((r) => ({ pos_us: Number(r.pos_us), note: JSON.parse(r.json) as JsonObject }));
}
