import type pg from 'pg';
import type { Clock } from '../clock.js';
import { ingestBatchEntry } from '../ingest/ingest-ledger.js';
import { type LedgerService, pgLedgerService } from '../store/ledger-service.js';
import { isPgUrl, openPg, type PgOpenError, type PgOpenOptions } from '../store/postgres/pg-database.js';
import { PgLedger } from '../store/postgres/pg-ledger.js';
import { PgLedgerCheckpoints } from '../store/postgres/pg-ledger-checkpoints.js';
import { PgObjectStore } from '../store/postgres/pg-object-store.js';
import { PgSql } from '../store/postgres/pg-sql.js';
import { SqlIntelFeed } from '../store/sql/sql-intel-feed.js';
import { SqlReleaseFeed } from '../store/sql/sql-release-feed.js';
import { SqlSubmissions } from '../store/sql/sql-submissions.js';
import { SqlTaxiiStatusStore } from '../store/sql/sql-taxii-status.js';
import { createHubState, type HubState } from './hub-state.js';

/**
 * The PostgreSQL side of the composition root: what `openHub` builds over SQLite, for the stores
 * that have a PostgreSQL adapter so far (objects, the ledger and its checkpoints, and the hub state
 * on the portable SQL port). Any number of hub processes may open the same database: writers
 * serialise on the schema's advisory locks.
 */
export interface PgHub {
  pool: pg.Pool;
  /** The portable SQL port the hub's state stores run on; its transactions span the adapters below. */
  sql: PgSql;
  objects: PgObjectStore;
  ledger: PgLedger;
  checkpoints: PgLedgerCheckpoints;
  ledgerService: LedgerService;
  feed: SqlReleaseFeed;
  submissions: SqlSubmissions;
  intel: SqlIntelFeed;
  statuses: SqlTaxiiStatusStore;
  state: HubState;
  close(): Promise<void>;
}

export async function openPgHub(
  url: string,
  clock: Clock,
  opts: PgOpenOptions = {},
): Promise<{ ok: true; hub: PgHub } | { ok: false; error: PgOpenError }> {
  const opened = await openPg(url, opts);
  if (!opened.ok) return opened;
  const pool = opened.pool;
  const ledger = new PgLedger(pool);
  const sql = new PgSql(pool, ledger);
  const objects = new PgObjectStore(
    pool,
    clock,
    async (tx, context, stored) => {
      const appended = await ledger.appendEntries(tx, [
        ingestBatchEntry(context.source, context.actor, clock.now(), stored),
      ]);
      // Throwing rolls the batch back: nothing is stored that the ledger does not record.
      if (!appended.ok) throw new Error(`ledger: ${appended.message}`);
    },
    sql,
  );
  const checkpoints = new PgLedgerCheckpoints(pool, ledger);
  return {
    ok: true,
    hub: {
      pool,
      sql,
      objects,
      ledger,
      checkpoints,
      ledgerService: pgLedgerService(ledger, checkpoints),
      feed: new SqlReleaseFeed(sql),
      submissions: new SqlSubmissions(sql),
      intel: new SqlIntelFeed(sql),
      statuses: new SqlTaxiiStatusStore(sql),
      state: createHubState(sql),
      close: () => pool.end(),
    },
  };
}

export type DatabaseSelection =
  | { ok: true; kind: 'sqlite' }
  | { ok: true; kind: 'postgres'; url: string }
  | { ok: false; message: string };

/**
 * Which database a command works on: `--db` wins over TEARLINE_DB; neither means the data
 * dir's SQLite file. Only postgres:// (or postgresql://) URLs are accepted as values.
 */
export function selectDatabase(option: string | undefined, env: NodeJS.ProcessEnv): DatabaseSelection {
  const [value, from] = option !== undefined ? [option, '--db'] : [env.TEARLINE_DB, 'TEARLINE_DB'];
  if (value === undefined || value === '') return { ok: true, kind: 'sqlite' };
  if (isPgUrl(value)) return { ok: true, kind: 'postgres', url: value };
  return {
    ok: false,
    message: `${from}: expected postgres://user:pass@host:5432/db (or leave it unset for the data dir's SQLite file)`,
  };
}
