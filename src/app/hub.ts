import { type Clock, systemClock } from '../clock.js';
import type { ImportTarget } from '../ingest/import-stream.js';
import type { NoteSigner } from '../ledger/ledger-note.js';
import type {
  DerivedIdResolver,
  FeedPage,
  FeedQuery,
  ReleaseFeedWriter,
  StatusStore,
  SubmissionSink,
} from '../store/feed-ports.js';
import { CosignatureStore } from '../store/hub/cosignature-store.js';
import { ingestBatchEntry } from '../store/ingest-batch-entry.js';
import { type LedgerService, sqliteLedgerService } from '../store/ledger-service.js';
import type { ObjectReader, StatsReader } from '../store/ports.js';
import { hubReservedIds } from '../store/reserved-ids.js';
import type { SqlDatabase } from '../store/sql/sql-database.js';
import { SqlIntelFeed } from '../store/sql/sql-intel-feed.js';
import { createSqlSubmissionSink, SqlSubmissions } from '../store/sql/sql-submissions.js';
import { SqlTaxiiStatusStore } from '../store/sql/sql-taxii-status.js';
import { openSqlite, openSqliteReadOnly, type SqliteDatabase } from '../store/sqlite/database.js';
import { SqliteLedgerCheckpoints } from '../store/sqlite/ledger-checkpoints.js';
import { SqliteLedger } from '../store/sqlite/ledger-store.js';
import { SqliteObjectStore } from '../store/sqlite/object-store.js';
import { SqliteReleaseFeed } from '../store/sqlite/release-feed.js';
import { SqliteSql } from '../store/sqlite/sqlite-sql.js';
import {
  ConfigError,
  checkpointScheduleOf,
  type DataDirPaths,
  dataDirPaths,
  type HubConfig,
  readConfig,
  resolveDataDir,
} from './data-dir.js';
import { createHubState, type HubState } from './hub-state.js';
import { loadLedgerSigner } from './ledger-key.js';
import { witnessTargetsOf } from './witness-config.js';

/** What TAXII serves and receives, over the hub's database. */
export interface HubTaxii {
  releases: {
    page(partnerId: string, q: FeedQuery, now: Date): Promise<FeedPage>;
    /** Moves with every change a cached page depends on, from any process. */
    changeStamp(now: Date): string | Promise<string>;
    createResolver(): DerivedIdResolver;
  };
  submissions: { page(partnerId: string, q: FeedQuery): Promise<FeedPage> };
  intel: { page(q: FeedQuery): Promise<FeedPage> };
  sink: SubmissionSink;
  statuses: StatusStore;
}

/**
 * The composition root of a running hub, whichever database holds it: the data dir (config and
 * keys) and the adapters over the embedded SQLite file or a PostgreSQL database shared by several
 * hub processes. The server, the console, the worker and the release pipeline take this.
 */
export interface Hub {
  paths: DataDirPaths;
  config: HubConfig;
  clock: Clock;
  /** The portable SQL port: hub state goes through it, and its transactions span the adapters. */
  sql: SqlDatabase;
  state: HubState;
  objects: ImportTarget & ObjectReader & StatsReader;
  /** Where the release pipeline writes releases (joins its transactions). */
  feed: ReleaseFeedWriter;
  taxii: HubTaxii;
  /** Checkpoints, receipts, proofs and audits. */
  ledgerService: LedgerService;
  /** The witnesses' cosignatures of checkpoints (for the configured witnesses). */
  cosignatures: CosignatureStore;
  /** A value that moves whenever anything is committed, by this process or another. */
  changeVersion(): Promise<string>;
  /**
   * A value that moves whenever a credential may have stopped being good, in any process (see
   * migration 1400-auth): caches of proven credentials are dropped when it moves.
   */
  credentialEpoch(): string | Promise<string>;
  /** Signs a checkpoint when entries wait (after each batch of work). */
  checkpointIfDue(): void | Promise<void>;
  close(): void | Promise<void>;
}

/** The embedded hub: the SQLite-specific adapters too, for the CLI and tests that use them. */
export interface SqliteHub extends Hub {
  db: SqliteDatabase;
  sql: SqliteSql;
  objects: SqliteObjectStore;
  feed: SqliteReleaseFeed;
  ledger: SqliteLedger;
  checkpoints: SqliteLedgerCheckpoints;
  checkpointIfDue(): void;
  close(): void;
}

/**
 * Opens the data dir's hub. `readOnly` (for commands that only read): the database is opened for
 * reading and never migrated, so they work from a read-only data dir or a full disk.
 */
export function openHub(
  dataOption: string | undefined,
  clock: Clock = systemClock,
  opts: { readOnly?: boolean } = {},
): SqliteHub {
  const paths = dataDirPaths(resolveDataDir(dataOption));
  const config = readConfig(paths);
  const db = opts.readOnly ? openSqliteReadOnly(paths.database) : openSqlite(paths.database);
  return createHub(paths, config, db, clock);
}

/** Composes a hub over an open database (tests pass ':memory:'); the hub owns the database. */
export function createHub(
  paths: DataDirPaths,
  config: HubConfig,
  db: SqliteDatabase,
  clock: Clock,
): SqliteHub {
  const ledger = new SqliteLedger(db);
  const checkpoints = new SqliteLedgerCheckpoints(ledger);
  const partnerIdentity = db.prepare('SELECT identity_json FROM partners WHERE id = ?').pluck();
  const objects = new SqliteObjectStore(
    db,
    clock,
    (context, stored) => {
      const appended = ledger.appendEntries([
        ingestBatchEntry(context.source, context.actor, clock.now(), stored, context.marking),
      ]);
      // Throwing rolls the batch back: nothing is stored that the ledger does not record.
      if (!appended.ok) throw new Error(`ledger: ${appended.message}`);
    },
    hubReservedIds(config.hub_name, (id) => partnerIdentity.get(id) as string | undefined),
  );
  let signer: NoteSigner | undefined;
  const sql = new SqliteSql(db);
  const feed = new SqliteReleaseFeed(db);
  const submissions = new SqlSubmissions(sql);
  const cosignatures = new CosignatureStore(
    sql,
    witnessTargetsOf(config).map((w) => w.key),
  );
  // data_version moves when another connection commits, total_changes when this one writes.
  const totalChanges = db.prepare('SELECT total_changes()').pluck();
  const authEpoch = db.prepare('SELECT n FROM auth_epoch WHERE id = 1').pluck();
  return {
    paths,
    config,
    db,
    sql,
    state: createHubState(sql),
    clock,
    objects,
    feed,
    taxii: {
      releases: feed,
      submissions,
      intel: new SqlIntelFeed(sql),
      sink: createSqlSubmissionSink(sql, submissions),
      statuses: new SqlTaxiiStatusStore(sql),
    },
    ledger,
    checkpoints,
    ledgerService: sqliteLedgerService(ledger, checkpoints, cosignatures),
    cosignatures,
    changeVersion: async () => `${db.pragma('data_version', { simple: true })}.${totalChanges.get()}`,
    // One indexed read of one row: cheap enough for every TAXII request.
    credentialEpoch: () => String(authEpoch.get()),
    checkpointIfDue() {
      if (!signer) {
        const loaded = loadLedgerSigner(paths, config.hub_name);
        if (!loaded.ok) throw new ConfigError(loaded.message);
        signer = loaded.signer;
      }
      const done = checkpoints.checkpointIfDue(clock.now(), signer, checkpointScheduleOf(config));
      if (!done.ok) throw new ConfigError(`ledger checkpoint: ${done.message}`);
    },
    close: () => db.close(),
  };
}
