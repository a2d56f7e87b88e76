import { type IntelProjection, type MarkingClassifier, projectIntel } from '../../policy/intel-projection.js';
import type { TlpLevel } from '../../stix/markings-tlp.js';
import type { JsonObject } from '../../stix/types.js';
import type { SqlQueries } from '../sql/sql-database.js';

/*
 * The reads decisions start from (src/release/release-facts.ts and the decision tests): the
 * hub's marking definitions and the latest objects projected for the policy.
 */

/** Every latest marking definition the hub holds, parsed. */
export async function markingDefinitions(sql: SqlQueries): Promise<{ id: string; definition: JsonObject }[]> {
  const rows = await sql.all<{ id: string; json: string }>(
    "SELECT id, json FROM objects WHERE type = 'marking-definition' AND is_latest",
  );
  return rows.map((r) => ({ id: r.id, definition: JSON.parse(r.json) as JsonObject }));
}

/** Rows per page when reading every latest object: memory stays bounded on large stores. */
const PAGE = 2000;

/** Latest versions of stored objects, projected, in store order; read a page at a time. */
export async function* iterateProjections(
  sql: SqlQueries,
  classify: MarkingClassifier,
  untaggedTlp: TlpLevel | undefined,
): AsyncGenerator<IntelProjection> {
  let after = -1;
  for (;;) {
    const rows = await sql.all<{ added_us: number; json: string }>(
      'SELECT added_us, json FROM objects WHERE is_latest AND added_us > ? ORDER BY added_us LIMIT ?',
      [after, PAGE],
    );
    for (const r of rows) {
      yield projectIntel(JSON.parse(r.json) as JsonObject, {
        classify,
        ...(untaggedTlp !== undefined && { untaggedTlp }),
      });
    }
    const last = rows.at(-1);
    if (!last || rows.length < PAGE) return;
    after = last.added_us;
  }
}

export async function loadProjection(
  sql: SqlQueries,
  objectId: string,
  classify: MarkingClassifier,
  untaggedTlp: TlpLevel | undefined,
): Promise<IntelProjection | undefined> {
  const r = await sql.get<{ json: string }>('SELECT json FROM objects WHERE id = ? AND is_latest', [
    objectId,
  ]);
  if (!r) return undefined;
  return projectIntel(JSON.parse(r.json) as JsonObject, {
    classify,
    ...(untaggedTlp !== undefined && { untaggedTlp }),
  });
}
