import type pg from 'pg';
import type { Clock } from '../clock.js';
import { ingestBatchEntry } from '../ingest/ingest-ledger.js';
import { openPg, type PgOpenError, type PgOpenOptions } from '../store/postgres/pg-database.js';
import { PgLedger } from '../store/postgres/pg-ledger.js';
import { PgLedgerCheckpoints } from '../store/postgres/pg-ledger-checkpoints.js';
import { PgObjectStore } from '../store/postgres/pg-object-store.js';

/**
 * The PostgreSQL side of the composition root: what `openHub` builds over SQLite, for the stores
 * that have a PostgreSQL adapter so far (objects, the ledger and its checkpoints). Any number of hub processes may
 * open the same database: writers serialise on the schema's advisory locks.
 */
export interface PgHub {
  pool: pg.Pool;
  objects: PgObjectStore;
  ledger: PgLedger;
  checkpoints: PgLedgerCheckpoints;
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
  const objects = new PgObjectStore(pool, clock, async (tx, context, stored) => {
    const appended = await ledger.appendEntries(tx, [
      ingestBatchEntry(context.source, context.actor, clock.now(), stored),
    ]);
    // Throwing rolls the batch back: nothing is stored that the ledger does not record.
    if (!appended.ok) throw new Error(`ledger: ${appended.message}`);
  });
  return {
    ok: true,
    hub: {
      pool,
      objects,
      ledger,
      checkpoints: new PgLedgerCheckpoints(pool, ledger),
      close: () => pool.end(),
    },
  };
}
