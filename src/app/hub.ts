import { type Clock, systemClock } from '../clock.js';
import { ingestBatchEntry } from '../ingest/ingest-ledger.js';
import type { NoteSigner } from '../ledger/ledger-note.js';
import { type LedgerService, sqliteLedgerService } from '../store/ledger-service.js';
import { openSqlite, type SqliteDatabase } from '../store/sqlite/database.js';
import { SqliteLedgerCheckpoints } from '../store/sqlite/ledger-checkpoints.js';
import { SqliteLedger } from '../store/sqlite/ledger-store.js';
import { SqliteObjectStore } from '../store/sqlite/object-store.js';
import { SqliteSql } from '../store/sqlite/sqlite-sql.js';
import {
  ConfigError,
  type DataDirPaths,
  dataDirPaths,
  type HubConfig,
  readConfig,
  resolveDataDir,
} from './data-dir.js';
import { createHubState, type HubState } from './hub-state.js';
import { loadLedgerSigner } from './ledger-key.js';

/** The composition root for one data dir: config, database and the adapters over it. */
export interface Hub {
  paths: DataDirPaths;
  config: HubConfig;
  /** For the adapters that stay SQLite-specific (object store, ledger, TAXII feed). */
  db: SqliteDatabase;
  /** The portable SQL port over the same database (same connection): hub state goes through it. */
  sql: SqliteSql;
  state: HubState;
  clock: Clock;
  objects: SqliteObjectStore;
  ledger: SqliteLedger;
  checkpoints: SqliteLedgerCheckpoints;
  /** Checkpoints, receipts, proofs and audits: what the routes and the CLI read (async, any engine). */
  ledgerService: LedgerService;
  /** Signs a checkpoint when entries wait and the policy says so (after each batch of work). */
  checkpointIfDue(): void;
  close(): void;
}

export function openHub(dataOption: string | undefined, clock: Clock = systemClock): Hub {
  const paths = dataDirPaths(resolveDataDir(dataOption));
  const config = readConfig(paths);
  return createHub(paths, config, openSqlite(paths.database), clock);
}

/** Composes a hub over an open database (tests pass ':memory:'); the hub owns the database. */
export function createHub(paths: DataDirPaths, config: HubConfig, db: SqliteDatabase, clock: Clock): Hub {
  const ledger = new SqliteLedger(db);
  const checkpoints = new SqliteLedgerCheckpoints(ledger);
  const objects = new SqliteObjectStore(db, clock, (context, stored) => {
    const appended = ledger.appendEntries([
      ingestBatchEntry(context.source, context.actor, clock.now(), stored),
    ]);
    // Throwing rolls the batch back: nothing is stored that the ledger does not record.
    if (!appended.ok) throw new Error(`ledger: ${appended.message}`);
  });
  let signer: NoteSigner | undefined;
  const sql = new SqliteSql(db);
  return {
    paths,
    config,
    db,
    sql,
    state: createHubState(sql),
    clock,
    objects,
    ledger,
    checkpoints,
    ledgerService: sqliteLedgerService(ledger, checkpoints),
    checkpointIfDue() {
      if (!signer) {
        const loaded = loadLedgerSigner(paths, config.hub_name);
        if (!loaded.ok) throw new ConfigError(loaded.message);
        signer = loaded.signer;
      }
      const done = checkpoints.checkpointIfDue(clock.now(), signer, { intervalMs: 0, batchEntries: 1 });
      if (!done.ok) throw new ConfigError(`ledger checkpoint: ${done.message}`);
    },
    close: () => db.close(),
  };
}
