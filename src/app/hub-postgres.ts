import type pg from 'pg';
import type { Clock } from '../clock.js';
import type { NoteSigner } from '../ledger/ledger-note.js';
import { CosignatureStore } from '../store/hub/cosignature-store.js';
import { ingestBatchEntry } from '../store/ingest-batch-entry.js';
import { type LedgerService, pgLedgerService } from '../store/ledger-service.js';
import { PgChangeListener } from '../store/postgres/pg-change-listener.js';
import { openPg, type PgOpenError, type PgOpenOptions } from '../store/postgres/pg-database.js';
import { PgLedger } from '../store/postgres/pg-ledger.js';
import { PgLedgerCheckpoints } from '../store/postgres/pg-ledger-checkpoints.js';
import { PgObjectStore, type PgReservedIds } from '../store/postgres/pg-object-store.js';
import { PgSql } from '../store/postgres/pg-sql.js';
import { isPgUrl } from '../store/postgres/pg-url.js';
import { hubReservedIds } from '../store/reserved-ids.js';
import { SqlIntelFeed } from '../store/sql/sql-intel-feed.js';
import { SqlReleaseFeed } from '../store/sql/sql-release-feed.js';
import { createSqlSubmissionSink, SqlSubmissions } from '../store/sql/sql-submissions.js';
import { SqlTaxiiStatusStore } from '../store/sql/sql-taxii-status.js';
import { ConfigError, checkpointScheduleOf, type DataDirPaths, type HubConfig } from './data-dir.js';
import type { Hub } from './hub.js';
import { createHubState, type HubState } from './hub-state.js';
import { loadLedgerSigner } from './ledger-key.js';
import { witnessTargetsOf } from './witness-config.js';

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
  /** Credential changes heard from every process; undefined while not listening (then ask). */
  authVersion(): number | undefined;
  close(): Promise<void>;
}

export async function openPgHub(
  url: string,
  clock: Clock,
  opts: PgOpenOptions & {
    /** Listen for other processes' commits, so TAXII page caches need no query per request. */
    listen?: boolean;
    /** The hub's name: its identity is reserved (reserved-ids.ts) with the partners' identities. */
    hubName?: string;
  } = {},
): Promise<{ ok: true; hub: PgHub } | { ok: false; error: PgOpenError }> {
  const opened = await openPg(url, opts);
  if (!opened.ok) return opened;
  const listener = opts.listen ? new PgChangeListener(opened.pool) : undefined;
  await listener?.start();
  const pool = opened.pool;
  const ledger = new PgLedger(pool);
  const sql = new PgSql(pool, ledger);
  const objects = new PgObjectStore(
    pool,
    clock,
    async (tx, context, stored) => {
      const appended = await ledger.appendEntries(tx, [
        ingestBatchEntry(context.source, context.actor, clock.now(), stored, context.marking),
      ]);
      // Throwing rolls the batch back: nothing is stored that the ledger does not record.
      if (!appended.ok) throw new Error(`ledger: ${appended.message}`);
    },
    sql,
    opts.hubName === undefined ? undefined : pgReservedIds(opts.hubName),
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
      feed: new SqlReleaseFeed(sql, listener),
      submissions: new SqlSubmissions(sql),
      intel: new SqlIntelFeed(sql),
      statuses: new SqlTaxiiStatusStore(sql),
      state: createHubState(sql),
      authVersion: () => listener?.authVersion(),
      close: async () => {
        await listener?.close();
        await pool.end();
      },
    },
  };
}

/** The hub's reserved ids, with the partners' identities read in the writer's transaction. */
function pgReservedIds(hubName: string): PgReservedIds {
  return async (tx, ids) => {
    const identities = ids.filter((id) => id.startsWith('identity--'));
    const rows =
      identities.length === 0
        ? []
        : (
            await tx.query<{ id: string; identity_json: string }>(
              'SELECT id, identity_json FROM partners WHERE id = ANY($1::text[])',
              [identities],
            )
          ).rows;
    const byId = new Map(rows.map((r) => [r.id, r.identity_json]));
    return hubReservedIds(hubName, (id) => byId.get(id));
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

/**
 * A hub on PostgreSQL: the data dir gives the config and the keys (every process of a deployment
 * has the same), the database everything else. What `serve --db` and the CLI's --db run on.
 */
export async function openPgServedHub(
  paths: DataDirPaths,
  config: HubConfig,
  url: string,
  clock: Clock,
  serving = false,
): Promise<Hub> {
  // A serving process answers many requests at once: more connections than a CLI command needs.
  const opened = await openPgHub(
    url,
    clock,
    serving ? { max: 10, listen: true, hubName: config.hub_name } : { hubName: config.hub_name },
  );
  if (!opened.ok) throw new ConfigError(`--db: ${opened.error.message}`);
  const pg = opened.hub;
  let signer: NoteSigner | undefined;
  const cosignatures = new CosignatureStore(
    pg.sql,
    witnessTargetsOf(config).map((w) => w.key),
  );
  const ledgerService = pgLedgerService(pg.ledger, pg.checkpoints, cosignatures);
  return {
    paths,
    config,
    clock,
    sql: pg.sql,
    state: pg.state,
    objects: pg.objects,
    feed: pg.feed,
    taxii: {
      releases: pg.feed,
      submissions: pg.submissions,
      intel: pg.intel,
      sink: createSqlSubmissionSink(pg.sql, pg.submissions),
      statuses: pg.statuses,
    },
    ledgerService,
    cosignatures,
    // Every change the pipeline acts on is a ledger entry (imports, submissions, partner,
    // agreement and condition changes, approvals), in the same transaction as the change.
    // Delivery records are not such a change: they would re-run the pipeline every period.
    changeVersion: async () => {
      const row = await pg.sql.get<{ n: number | null }>(
        "SELECT max(idx) AS n FROM ledger_entries WHERE kind <> 'delivery'",
      );
      return String(row?.n ?? -1);
    },
    credentialEpoch: async () => {
      const heard = pg.authVersion();
      // While listening, notices say when to drop cached credentials; otherwise ask each time.
      if (heard !== undefined) return `n${heard}`;
      return `q${await pg.state.authEvents.epoch()}`;
    },
    checkpointIfDue: async () => {
      if (!signer) {
        const loaded = loadLedgerSigner(paths, config.hub_name);
        if (!loaded.ok) throw new ConfigError(loaded.message);
        signer = loaded.signer;
      }
      const done = await ledgerService.checkpointIfDue(clock.now(), signer, checkpointScheduleOf(config));
      if (!done.ok && done.code !== 'empty-tree') throw new ConfigError(`ledger checkpoint: ${done.message}`);
    },
    close: () => pg.close(),
  };
}
