import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPg } from './pg-database.js';

/**
 * Tests, benchmarks and the concurrency check run against a real server named by TEARLINE_TEST_PG
 * (CI's .ci/run sets it); without it they are skipped with this message.
 */
export const TEST_PG_URL = process.env.TEARLINE_TEST_PG ?? '';
export const PG_SKIP_REASON =
  'PostgreSQL tests skipped: set TEARLINE_TEST_PG=postgres://user:pass@host:5432/db to run them';

/** A fresh, empty, migrated schema of its own; `drop()` removes it and ends the pool. */
export async function openTestSchema(
  prefix = 't',
): Promise<{ pool: pg.Pool; schema: string; drop: () => Promise<void> }> {
  const schema = `${prefix}_${process.pid}_${randomBytes(6).toString('hex')}`;
  const opened = await openPg(TEST_PG_URL, { schema });
  if (!opened.ok) throw new Error(opened.error.message);
  return {
    pool: opened.pool,
    schema,
    drop: async () => {
      await opened.pool.end();
      const admin = new pg.Client({ connectionString: TEST_PG_URL });
      await admin.connect();
      try {
        await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await admin.end();
      }
    },
  };
}
