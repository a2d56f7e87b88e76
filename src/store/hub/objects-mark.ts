import type { SqlQueries } from '../sql/sql-database.js';

/**
 * The object store's state in one indexed read. Objects are append-only and every stored version
 * takes a larger `added_us` than any before it (the incremental release pass relies on the same),
 * so the highest `added_us` moves with every write by any process: what was derived from the
 * objects under one mark holds until the mark moves.
 */
export async function objectsMark(sql: SqlQueries): Promise<string> {
  const row = await sql.get<{ m: number | string | null }>('SELECT max(added_us) AS m FROM objects');
  return String(row?.m ?? '');
}
