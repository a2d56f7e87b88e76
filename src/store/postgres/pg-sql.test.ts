import { describe, expect, it } from 'vitest';
import { describeSqlContract } from '../sql/sql-database.contract.js';
import { openPg } from './pg-database.js';
import { PgLedger } from './pg-ledger.js';
import { PgSql } from './pg-sql.js';
import { openTestSchema, PG_SKIP_REASON, TEST_PG_URL } from './pg-test-schema.js';

if (!TEST_PG_URL) console.warn(PG_SKIP_REASON);

describe.skipIf(!TEST_PG_URL)('postgres portable SQL', () => {
  describeSqlContract('postgres', async () => {
    const schema = await openTestSchema('s');
    return { sql: new PgSql(schema.pool, new PgLedger(schema.pool)), close: schema.drop };
  });

  it('serialises transactions holding one lock across separate pools, as separate processes would', async () => {
    const schema = await openTestSchema('s');
    const other = await openPg(TEST_PG_URL, { schema: schema.schema });
    if (!other.ok) throw new Error(other.error.message);
    try {
      const pools = [schema.pool, other.pool];
      await schema.pool.query("INSERT INTO hub_meta (key, value) VALUES ('n', '0')");
      await Promise.all(
        Array.from({ length: 10 }, (_, i) => {
          const pool = pools[i % 2] as typeof schema.pool;
          const sql = new PgSql(pool, new PgLedger(pool));
          return sql.transaction(async (tx) => {
            await tx.lock('n');
            const row = await tx.get<{ value: string }>("SELECT value FROM hub_meta WHERE key = 'n'");
            await tx.run("UPDATE hub_meta SET value = ? WHERE key = 'n'", [String(Number(row?.value) + 1)]);
          });
        }),
      );
      expect((await schema.pool.query("SELECT value FROM hub_meta WHERE key = 'n'")).rows).toEqual([
        { value: '10' },
      ]);
    } finally {
      await other.pool.end();
      await schema.drop();
    }
  });
});
