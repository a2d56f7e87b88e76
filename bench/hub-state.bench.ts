import { ReleaseStore } from '../src/store/hub/release-store.js';
import { PgLedger } from '../src/store/postgres/pg-ledger.js';
import { PgSql } from '../src/store/postgres/pg-sql.js';
import { openTestSchema, PG_SKIP_REASON, TEST_PG_URL } from '../src/store/postgres/pg-test-schema.js';
import type { SqlDatabase } from '../src/store/sql/sql-database.js';
import { openSqlite } from '../src/store/sqlite/database.js';
import { SqliteSql } from '../src/store/sqlite/sqlite-sql.js';
import { report } from './report.js';

/**
 * What a release pipeline pass reads before deciding for one partner: the outcome of every
 * object. One query for the partner (ReleaseStore.outcomesOfPartner) against the baseline of one
 * query per object, on SQLite and, with TEARLINE_TEST_PG, PostgreSQL (where each query is a
 * round trip), in the same run.
 */
const OBJECTS = 3000;
const RUNS = 5;

interface Opened {
  sql: SqlDatabase;
  close(): Promise<void>;
}

async function openSqliteSql(): Promise<Opened> {
  const db = openSqlite(':memory:');
  return { sql: new SqliteSql(db), close: async () => void db.close() };
}

async function openPgSql(): Promise<Opened> {
  const schema = await openTestSchema('bh');
  return { sql: new PgSql(schema.pool, new PgLedger(schema.pool)), close: schema.drop };
}

async function medianAsyncMs(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

async function fill(sql: SqlDatabase, releases: ReleaseStore): Promise<string[]> {
  const ids = Array.from({ length: OBJECTS }, (_, i) => `indicator--${i.toString(16).padStart(12, '0')}`);
  await sql.transaction(async () => {
    for (const id of ids) {
      await releases.putOutcome({
        partner_id: 'identity--partner',
        object_id: id,
        object_version: '2026-01-01T00:00:00.000Z',
        outcome: 'withheld',
        reasons: [{ code: 'condition-unmet', message: 'hr-1 expired' }],
        agreement_version: 1,
        fingerprint: `fp-${id}`,
        decided_at: '2026-11-28T10:00:00.000Z',
      });
    }
  });
  return ids;
}

async function measure(engine: string, open: () => Promise<Opened>): Promise<void> {
  const { sql, close } = await open();
  try {
    const releases = new ReleaseStore(sql);
    const ids = await fill(sql, releases);
    const one = await medianAsyncMs(RUNS, async () => {
      const map = await releases.outcomesOfPartner('identity--partner');
      if (map.size !== OBJECTS) throw new Error(`read ${map.size} outcomes`);
    });
    const perObject = await medianAsyncMs(RUNS, async () => {
      for (const id of ids) if (!(await releases.outcome('identity--partner', id))) throw new Error(id);
    });
    report({
      bench: 'hub-state',
      metric: `${engine}: outcomes of one partner (${OBJECTS} objects), one query`,
      value: Number(one.toFixed(2)),
      unit: 'ms',
      baseline: Number(perObject.toFixed(2)),
      ratio: Number((one / perObject).toFixed(4)),
      target: 'faster than one query per object',
      met: one < perObject,
    });
  } finally {
    await close();
  }
}

await measure('sqlite', openSqliteSql);
if (TEST_PG_URL) await measure('postgres', openPgSql);
else process.stderr.write(`hub-state bench: ${PG_SKIP_REASON}\n`);
