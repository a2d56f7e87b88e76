import { createHash } from 'node:crypto';
import type pg from 'pg';
import { decodeLeaf, openLeaf } from '../../ledger/ledger-commitment.js';
import { TreeFrontier } from '../../ledger/ledger-frontier.js';
import { equalHashes, type Hash, hashLeaf } from '../../ledger/ledger-hash.js';
import { hashRange } from '../../ledger/ledger-proof.js';
import { storedHashIndex } from '../../ledger/ledger-tree-math.js';
import type { SqliteDatabase } from '../sqlite/database.js';
import { PG_LOCK_CLASS } from './pg-migrations.js';

export type HubCopyError = {
  code: 'unsupported-data' | 'target-not-empty' | 'verify-failed';
  message: string;
};

export type HubCopyResult =
  | { ok: true; rows: Record<string, number>; ledgerSize: number }
  | { ok: false; error: HubCopyError };

interface CopiedTable {
  name: string;
  columns: string[];
  /** PostgreSQL array types of the columns, for one INSERT … SELECT FROM unnest(…) per chunk. */
  types: string[];
  order: string;
  /** Columns SQLite keeps as 0/1 that PostgreSQL keeps as boolean. */
  booleans?: string[];
}

/** Objects and the ledger: engine-specific column types, declared here. */
const TABLES: CopiedTable[] = [
  {
    name: 'objects',
    columns: [
      'added_us',
      'id',
      'version',
      'type',
      'spec_version',
      'created',
      'modified',
      'is_latest',
      'source',
      'imported_by',
      'json',
    ],
    types: ['bigint', 'text', 'text', 'text', 'text', 'text', 'text', 'boolean', 'text', 'text', 'text'],
    order: 'added_us',
    booleans: ['is_latest'],
  },
  {
    name: 'object_refs',
    columns: ['src_added_us', 'src_id', 'path', 'dst_id'],
    types: ['bigint', 'text', 'text', 'text'],
    order: 'rowid',
  },
  {
    name: 'quarantine',
    columns: ['received_us', 'source', 'location', 'object_id', 'raw', 'raw_bytes', 'raw_sha256', 'errors'],
    types: ['bigint', 'text', 'text', 'text', 'text', 'int', 'text', 'text'],
    order: 'qid',
  },
  { name: 'hub_meta', columns: ['key', 'value'], types: ['text', 'text'], order: 'key' },
  {
    name: 'ledger_entries',
    columns: ['idx', 'kind', 'time', 'actor', 'release_id', 'bytes', 'salt', 'private'],
    types: ['bigint', 'text', 'text', 'text', 'text', 'bytea', 'bytea', 'bytea'],
    order: 'idx',
  },
  { name: 'ledger_hash_pages', columns: ['page', 'hashes'], types: ['bigint', 'bytea'], order: 'page' },
  {
    name: 'ledger_deliveries',
    columns: ['idx', 'partner_id', 'period_start', 'period_end', 'items'],
    types: ['bigint', 'text', 'text', 'text', 'text'],
    order: 'idx',
  },
  {
    name: 'ledger_checkpoints',
    columns: ['size', 'root', 'note', 'signed_at'],
    types: ['bigint', 'bytea', 'text', 'text'],
    order: 'size',
  },
];

/**
 * The hub's state tables, parents before children (foreign keys). Their PostgreSQL DDL is the
 * SQLite DDL translated (pg-migrations.ts 0003-hub-state), so columns are read from the source.
 */
const HUB_STATE_TABLES = [
  'partners',
  'partner_events',
  'agreements',
  'condition_events',
  'decision_marks',
  'users',
  'user_events',
  'tearline_derived_ids',
  'releases',
  'taxii_submissions',
  'taxii_status',
  'partner_token_index',
  'release_outcomes',
  'release_queue',
  'release_approvals',
  'release_records',
  'console_sessions',
  'relay_hubs',
  'relay_mailboxes',
  'relay_envelopes',
  'relay_routes',
  'relay_outbox',
  'relay_inbox',
  'relay_problems',
  'relay_outbox_releases',
  'relay_push_failures',
  'relay_bundles',
  'osint_drafts',
  'user_api_keys',
  'auth_throttle',
  'auth_events',
  'import_marking_defaults',
  'ledger_cosignatures',
  'release_pass_state',
  'release_pass_members',
  'release_outcome_history',
];

/** A state table as the source declares it; its identity column, if any, to advance after the copy. */
function describeStateTable(source: SqliteDatabase, name: string): CopiedTable & { identity?: string } {
  const info = source.prepare(`PRAGMA table_info("${name}")`).all() as {
    name: string;
    type: string;
    pk: number;
  }[];
  const pk = info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
  const identity = pk.length === 1 && pk[0]?.type === 'INTEGER' ? pk[0].name : undefined;
  return {
    name,
    columns: info.map((c) => c.name),
    types: info.map((c) => (c.type === 'INTEGER' ? 'bigint' : 'text')),
    order: pk.length > 0 ? pk.map((c) => c.name).join(', ') : 'rowid',
    ...(identity !== undefined && { identity }),
  };
}

const CHUNK = 2000;

/** Tables of the source that hold rows the PostgreSQL backend has no adapter for yet. */
function findUnsupported(source: SqliteDatabase): string[] {
  // The credential epoch is a counter each database starts at its own value: nothing to copy.
  const copied = new Set([
    ...TABLES.map((t) => t.name),
    ...HUB_STATE_TABLES,
    'schema_migrations',
    'auth_epoch',
  ]);
  const names = source
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all() as string[];
  return names.filter(
    (n) => !copied.has(n) && source.prepare(`SELECT EXISTS (SELECT 1 FROM "${n}")`).pluck().get() === 1,
  );
}

/** A digest of a table's rows in order, the same whichever database they are read from. */
function updateDigest(hash: ReturnType<typeof createHash>, row: unknown[]): void {
  hash.update(
    JSON.stringify(row.map((v) => (Buffer.isBuffer(v) ? v.toString('hex') : v === null ? null : String(v)))),
  );
}

async function copyTable(
  source: SqliteDatabase,
  tx: pg.PoolClient,
  t: CopiedTable,
): Promise<{ rows: number; digest: string }> {
  const digest = createHash('sha256');
  const insert = `INSERT INTO ${t.name} (${t.columns.join(', ')}) SELECT * FROM unnest(${t.types
    .map((ty, i) => `$${i + 1}::${ty}[]`)
    .join(', ')})`;
  const bools = new Set((t.booleans ?? []).map((b) => t.columns.indexOf(b)));
  let cols: unknown[][] = t.columns.map(() => []);
  let rows = 0;
  const flush = async () => {
    if ((cols[0] as unknown[]).length > 0) await tx.query(insert, cols);
    cols = t.columns.map(() => []);
  };
  const stmt = source.prepare(`SELECT ${t.columns.join(', ')} FROM ${t.name} ORDER BY ${t.order}`).raw();
  for (const row of stmt.iterate() as Iterable<unknown[]>) {
    row.forEach((v, i) => {
      (cols[i] as unknown[]).push(bools.has(i) ? v === 1 : v);
    });
    updateDigest(
      digest,
      row.map((v, i) => (bools.has(i) ? v === 1 : v)),
    );
    rows++;
    if (rows % CHUNK === 0) await flush();
  }
  await flush();
  return { rows, digest: digest.digest('hex') };
}

/** Streams a query's rows (as arrays) through a cursor of the open transaction: memory stays flat. */
async function forEachRow(tx: pg.PoolClient, sql: string, fn: (row: unknown[]) => void): Promise<void> {
  await tx.query(`DECLARE copy_check NO SCROLL CURSOR FOR ${sql}`);
  for (;;) {
    const res = await tx.query({ text: `FETCH ${CHUNK} FROM copy_check`, rowMode: 'array' });
    for (const row of res.rows as unknown[][]) fn(row);
    if (res.rows.length < CHUNK) break;
  }
  await tx.query('CLOSE copy_check');
}

async function digestPgTable(tx: pg.PoolClient, t: CopiedTable): Promise<{ rows: number; digest: string }> {
  const digest = createHash('sha256');
  // object_refs has no key: compare it sorted on both sides. Text sorts in byte order ("C"), as
  // SQLite's BINARY collation does.
  const keys = t.name === 'object_refs' ? t.columns : [t.order];
  const order = keys
    .map((k) => (t.types[t.columns.indexOf(k)] === 'text' ? `${k} COLLATE "C"` : k))
    .join(', ');
  let rows = 0;
  await forEachRow(tx, `SELECT ${t.columns.join(', ')} FROM ${t.name} ORDER BY ${order}`, (row) => {
    updateDigest(digest, row);
    rows++;
  });
  return { rows, digest: digest.digest('hex') };
}

/**
 * Rebuilds the tree from the entry bytes, opens every version 2 entry with the salt and private
 * part that arrived, and checks every stored hash and checkpoint root.
 */
async function verifyLedger(
  tx: pg.PoolClient,
): Promise<{ ok: true; size: number } | { ok: false; message: string }> {
  const entries = await tx.query<{ idx: string; bytes: Buffer; salt: Buffer | null; private: Buffer | null }>(
    'SELECT idx, bytes, salt, private FROM ledger_entries ORDER BY idx',
  );
  const frontier = TreeFrontier.empty();
  const rebuilt: Hash[] = [];
  for (const [i, e] of entries.rows.entries()) {
    if (Number(e.idx) !== i) return { ok: false, message: `ledger entry ${i} is missing` };
    const leaf = decodeLeaf(e.bytes);
    if (!leaf.ok) return { ok: false, message: `ledger entry ${i}: ${leaf.message}` };
    if (leaf.leaf.version === 2) {
      const opened =
        e.salt && e.private ? openLeaf(leaf.leaf.entry, { salt: e.salt, private: e.private }) : undefined;
      if (!opened?.ok)
        return {
          ok: false,
          message: `ledger entry ${i}: its private part or salt does not open its commitment`,
        };
    }
    frontier.appendTo(hashLeaf(e.bytes), rebuilt);
  }
  const pages = await tx.query<{ hashes: Buffer }>('SELECT hashes FROM ledger_hash_pages ORDER BY page');
  const stored = Buffer.concat(pages.rows.map((p) => p.hashes));
  if (!stored.equals(Buffer.concat(rebuilt))) {
    return { ok: false, message: 'stored ledger hashes differ from the tree rebuilt from the entries' };
  }
  const readNode = (n: { level: number; index: number }) => rebuilt[storedHashIndex(n)] as Hash;
  const checkpoints = await tx.query<{ size: string; root: Buffer }>(
    'SELECT size, root FROM ledger_checkpoints',
  );
  for (const cp of checkpoints.rows) {
    const size = Number(cp.size);
    if (size > frontier.size || !equalHashes(hashRange({ lo: 0, hi: size }, readNode), cp.root)) {
      return {
        ok: false,
        message: `checkpoint ${size}: its root is not the root of the first ${size} entries`,
      };
    }
  }
  return { ok: true, size: frontier.size };
}

class VerifyFailed extends Error {}

/**
 * Copies a hub's objects, quarantine, settings and ledger from SQLite into an empty PostgreSQL
 * schema in one transaction, then verifies on arrival, before COMMIT: every table's rows read back
 * equal the source's, and the ledger rebuilt from its entries matches its stored hashes and every
 * checkpoint. Any failure rolls everything back. `added` values are kept as they are, so partners'
 * TAXII cursors stay valid.
 */
export async function copyHubToPg(source: SqliteDatabase, pool: pg.Pool): Promise<HubCopyResult> {
  const unsupported = findUnsupported(source);
  if (unsupported.length > 0) {
    return {
      ok: false,
      error: {
        code: 'unsupported-data',
        message: `the source hub has rows in ${unsupported.join(', ')}, which the PostgreSQL backend cannot hold yet; nothing was copied`,
      },
    };
  }
  const tx = await pool.connect();
  try {
    await tx.query('BEGIN');
    for (const lock of ['objects', 'ledger']) {
      await tx.query(
        `SELECT pg_advisory_xact_lock(${PG_LOCK_CLASS}, hashtext('${lock}:' || current_schema()))`,
      );
    }
    const busy = await tx.query<{ n: string }>(
      'SELECT (SELECT count(*) FROM objects) + (SELECT count(*) FROM ledger_entries) + (SELECT count(*) FROM quarantine) AS n',
    );
    if (Number(busy.rows[0]?.n) > 0) {
      await tx.query('ROLLBACK');
      return {
        ok: false,
        error: {
          code: 'target-not-empty',
          message: 'the target database already holds a hub; migrate into an empty one',
        },
      };
    }
    const rows: Record<string, number> = {};
    const state = HUB_STATE_TABLES.map((name) => describeStateTable(source, name));
    for (const t of [...TABLES, ...state]) {
      const copied = await copyTable(source, tx, t);
      const back = await digestPgTable(tx, t);
      const sourceDigest = t.name === 'object_refs' ? await digestSqliteSorted(source, t) : copied.digest;
      if (back.rows !== copied.rows || back.digest !== sourceDigest) {
        throw new VerifyFailed(
          `${t.name}: ${back.rows} rows arrived of ${copied.rows}, or their content differs`,
        );
      }
      rows[t.name] = copied.rows;
      const identity = 'identity' in t ? t.identity : undefined;
      if (identity !== undefined && copied.rows > 0) {
        // Rows came with their ids: the identity sequence must continue after them.
        await tx.query(
          `SELECT setval(pg_get_serial_sequence('${t.name}', '${identity}'), (SELECT max(${identity}) FROM ${t.name}))`,
        );
      }
    }
    const ledger = await verifyLedger(tx);
    if (!ledger.ok) throw new VerifyFailed(ledger.message);
    await tx.query('COMMIT');
    // Planner statistics now, not whenever autovacuum comes by: without them the first TAXII
    // pages after a migration scan whole tables (measured: 39 pages/s instead of thousands).
    // The copy is committed: a failure here must not report it as failed.
    await tx
      .query(`ANALYZE ${[...TABLES.map((t) => t.name), ...HUB_STATE_TABLES].join(', ')}`)
      .catch(() => {});
    return { ok: true, rows, ledgerSize: ledger.size };
  } catch (err) {
    await tx.query('ROLLBACK').catch(() => {});
    if (err instanceof VerifyFailed) {
      return { ok: false, error: { code: 'verify-failed', message: `${err.message}; nothing was copied` } };
    }
    throw err;
  } finally {
    tx.release();
  }
}

function digestSqliteSorted(source: SqliteDatabase, t: CopiedTable): string {
  const digest = createHash('sha256');
  const cols = t.columns.join(', ');
  for (const row of source
    .prepare(`SELECT ${cols} FROM ${t.name} ORDER BY ${cols}`)
    .raw()
    .iterate() as Iterable<unknown[]>) {
    updateDigest(digest, row);
  }
  return digest.digest('hex');
}
