import type { FeedPage, FeedQuery, FeedRow } from '../feed-ports.js';
import type { SqlQueries } from './sql-database.js';

/**
 * A table TAXII pages through, described for the portable query builder: its strictly
 * increasing position column, id and version columns, and the rows a principal may see.
 */
export interface SqlFeedTable {
  table: string;
  position: string;
  id: string;
  /** Normalised version column: string order is time order. */
  versionKey: string;
  /** SQL expression (over alias t) giving the version as TAXII shows it. */
  display: string;
  /** SQL condition (over alias t) true for the latest version of an id. */
  latest: string;
  /** SQL condition over `alias` restricting rows to what the caller may see; `?` for scope params. */
  scope: (alias: string) => string;
}

/** The one SELECT for a page: filters as TAXII 2.1 defines them, cursor on the position column. */
export function buildFeedQuery(
  t: SqlFeedTable,
  scopeParams: readonly unknown[],
  q: FeedQuery,
): { sql: string; params: unknown[] } {
  const where = [t.scope('t'), `t.${t.position} > ?`];
  const params: unknown[] = [...scopeParams, q.afterUs ?? -1];
  const oneOf = (column: string, values: readonly string[]) => {
    where.push(`${column} IN (${values.map(() => '?').join(',')})`);
    params.push(...values);
  };
  if (q.ids && q.ids.length > 0) oneOf(`t.${t.id}`, q.ids);
  if (q.types && q.types.length > 0) oneOf('t.type', q.types);
  if (q.specVersions && q.specVersions.length > 0) oneOf("coalesce(t.spec_version, '2.1')", q.specVersions);
  const v = q.version;
  if (!v.all) {
    const alternatives: string[] = [];
    if (v.last) alternatives.push(t.latest);
    if (v.first) {
      alternatives.push(
        `t.${t.versionKey} = (SELECT min(f.${t.versionKey}) FROM ${t.table} f WHERE ${t.scope('f')} AND f.${t.id} = t.${t.id})`,
      );
      params.push(...scopeParams);
    }
    if (v.timestamps.length > 0) {
      alternatives.push(`t.${t.versionKey} IN (${v.timestamps.map(() => '?').join(',')})`);
      params.push(...v.timestamps);
    }
    where.push(alternatives.length > 0 ? `(${alternatives.join(' OR ')})` : '1 = 0');
  }
  params.push(q.limit + 1);
  return {
    sql: `SELECT t.${t.id} AS id, ${t.display} AS version, t.${t.position} AS position, t.json AS json
      FROM ${t.table} t WHERE ${where.join(' AND ')} ORDER BY t.${t.position} LIMIT ?`,
    params,
  };
}

/** One page of a feed table; `more` when rows beyond the limit exist. */
export async function pageFeed(
  sql: SqlQueries,
  table: SqlFeedTable,
  scopeParams: readonly unknown[],
  q: FeedQuery,
): Promise<FeedPage> {
  const built = buildFeedQuery(table, scopeParams, q);
  const rows = await sql.all<{ id: string; version: string; position: number; json: string }>(
    built.sql,
    built.params,
  );
  const more = rows.length > q.limit;
  if (more) rows.length = q.limit;
  return {
    rows: rows.map((r): FeedRow => ({ id: r.id, version: r.version, positionUs: r.position, json: r.json })),
    more,
  };
}
