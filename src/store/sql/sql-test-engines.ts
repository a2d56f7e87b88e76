import { describe } from 'vitest';
import { PgLedger } from '../postgres/pg-ledger.js';
import { PgSql } from '../postgres/pg-sql.js';
import { openTestSchema, PG_SKIP_REASON, TEST_PG_URL } from '../postgres/pg-test-schema.js';
import { openSqlite } from '../sqlite/database.js';
import { SqliteSql } from '../sqlite/sqlite-sql.js';
import type { SqlDatabase } from './sql-database.js';

/** A fresh, migrated, empty database on one engine, and how to dispose of it. */
export interface TestSql {
  sql: SqlDatabase;
  close(): Promise<void>;
}

export type OpenTestSql = () => Promise<TestSql>;

export async function openSqliteTestSql(): Promise<TestSql> {
  const db = openSqlite(':memory:');
  return {
    sql: new SqliteSql(db),
    close: async () => {
      db.close();
    },
  };
}

export async function openPgTestSql(): Promise<TestSql> {
  const schema = await openTestSchema('h');
  return { sql: new PgSql(schema.pool, new PgLedger(schema.pool)), close: schema.drop };
}

/**
 * Runs a store's tests on SQLite always, and on PostgreSQL when TEARLINE_TEST_PG names a server
 * (skipped with a message otherwise): one suite, both engines, as for the object store contract.
 */
export function describeOnEngines(name: string, suite: (open: OpenTestSql) => void): void {
  describe(`${name} (sqlite)`, () => suite(openSqliteTestSql));
  if (!TEST_PG_URL) console.warn(PG_SKIP_REASON);
  describe.skipIf(!TEST_PG_URL)(`${name} (postgres)`, () => suite(openPgTestSql));
}
