import pg from 'pg';
import { applyPgMigrations } from './pg-migrations.js';
import { describePgUrl, readPgUrl } from './pg-url.js';

export type PgOpenError =
  | { code: 'bad-url'; message: string }
  | { code: 'bad-schema'; message: string }
  | { code: 'connect-failed'; message: string };

export type PgOpenResult = { ok: true; pool: pg.Pool } | { ok: false; error: PgOpenError };

export interface PgOpenOptions {
  /**
   * A schema of its own (tests, several hubs on one server); created if missing. Default: the
   * URL's `?schema=NAME`, else public.
   */
  schema?: string;
  /** Connections per process. A hub process writes through one at a time (the writer lock). */
  max?: number;
}

const SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Opens a pool on `url` with the schema's search_path on every connection, and applies the
 * migrations. The caller owns the pool (`pool.end()`).
 */
export async function openPg(url: string, opts: PgOpenOptions = {}): Promise<PgOpenResult> {
  const read = readPgUrl(url);
  if (!read.ok) return { ok: false, error: { code: 'bad-url', message: `--db: ${read.message}` } };
  const schema = opts.schema ?? read.schema ?? 'public';
  if (!SCHEMA.test(schema)) {
    return {
      ok: false,
      error: { code: 'bad-schema', message: `schema '${schema}': use lower-case letters, digits and _` },
    };
  }
  const pool = new pg.Pool({
    ...read.config,
    max: opts.max ?? 4,
    connectionTimeoutMillis: 10_000,
    options: `-c search_path=${schema}`,
  });
  // An idle client losing its connection must not crash the process; the next query reports it.
  pool.on('error', () => {});
  try {
    if (schema !== 'public') await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await applyPgMigrations(pool);
    return { ok: true, pool };
  } catch (err) {
    await pool.end();
    const why = err instanceof Error ? err.message : String(err);
    return {
      ok: false,
      error: { code: 'connect-failed', message: `PostgreSQL at ${describePgUrl(url)}: ${why}` },
    };
  }
}
