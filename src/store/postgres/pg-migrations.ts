import type pg from 'pg';
import { agreementReasonMigration } from '../sqlite/migrations/agreement-reason.js';
import { AUTH_EPOCH_TABLES, authTablesSql } from '../sqlite/migrations/auth.js';
import { consoleMigration } from '../sqlite/migrations/console.js';
import { derivedIdsMigration } from '../sqlite/migrations/derived-ids.js';
import { importMarkingsMigration } from '../sqlite/migrations/import-markings.js';
import { OSINT_DRAFTS_DDL } from '../sqlite/migrations/osint-drafts.js';
import { outcomeHistoryMigration } from '../sqlite/migrations/outcome-history.js';
import { outcomeReferencesMigration } from '../sqlite/migrations/outcome-references.js';
import { policyMigration } from '../sqlite/migrations/policy.js';
import { relayMigration } from '../sqlite/migrations/relay.js';
import { relayBundlesMigration } from '../sqlite/migrations/relay-bundles.js';
import { relayPushFailuresMigration } from '../sqlite/migrations/relay-push-failures.js';
import { relayReleaseLookupMigration } from '../sqlite/migrations/relay-release-lookup.js';
import { relayReleasesMigration } from '../sqlite/migrations/relay-releases.js';
import { releaseMigration } from '../sqlite/migrations/release.js';
import { releasePassMigration } from '../sqlite/migrations/release-pass.js';
import { releasePassMembersMigration } from '../sqlite/migrations/release-pass-members.js';
import { moveLegacySubmissions, SUBMISSION_SPACE_COLUMNS } from '../sqlite/migrations/submission-space.js';
import { taxiiMigration } from '../sqlite/migrations/taxii.js';
import { usersMigration } from '../sqlite/migrations/users.js';
import { witnessCosignaturesMigration } from '../sqlite/migrations/witness.js';

/** The channel hub processes LISTEN on; the payload names the schema that changed. */
export const PG_CHANGE_CHANNEL = 'tearline_change';
/** Notified when a credential may have stopped being good (see 1400-auth): caches drop it at once. */
export const PG_AUTH_CHANNEL = 'tearline_auth';

export interface PgMigration {
  name: string;
  sql: string;
}

/**
 * The PostgreSQL schema, append-only like the SQLite list. Same tables and columns as
 * src/store/sqlite/migrations/objects.ts; what differs is said where it differs.
 * Identifiers and version keys use the "C" collation: byte order, as SQLite compares text, so
 * `ORDER BY version` is time order whatever the database's locale.
 */
export const PG_MIGRATIONS: readonly PgMigration[] = [
  {
    name: '0001-objects',
    sql: `
CREATE TABLE objects (
  -- Epoch microseconds, strictly increasing across every process writing this schema (handed out
  -- under the writer lock, see pg-object-store.ts); the primary key is also the paging order.
  added_us bigint PRIMARY KEY,
  id text COLLATE "C" NOT NULL,
  version text COLLATE "C" NOT NULL,
  type text COLLATE "C" NOT NULL,
  spec_version text,
  created text,
  modified text,
  is_latest boolean NOT NULL DEFAULT false,
  source text NOT NULL,
  -- The hub user who stored this version: may not approve its release (four eyes).
  imported_by text,
  json text NOT NULL,
  UNIQUE (id, version)
);
-- The latest version of an id is found through the (id, version) key: an id has few versions.
-- SQLite's partial index carries the rowid (= added_us); here the key says so explicitly.
CREATE INDEX objects_latest_by_type ON objects (type, added_us) WHERE is_latest;

CREATE TABLE object_refs (
  src_added_us bigint NOT NULL,
  src_id text COLLATE "C" NOT NULL,
  path text NOT NULL,
  dst_id text COLLATE "C" NOT NULL
);
CREATE INDEX object_refs_src ON object_refs (src_added_us);
CREATE INDEX object_refs_dst ON object_refs (dst_id);

CREATE TABLE quarantine (
  qid bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  received_us bigint NOT NULL,
  source text NOT NULL,
  location text NOT NULL,
  object_id text,
  raw text NOT NULL,
  raw_bytes integer NOT NULL,
  raw_sha256 text NOT NULL,
  errors text NOT NULL
);
CREATE INDEX quarantine_received ON quarantine (received_us);

CREATE TABLE hub_meta (
  key text PRIMARY KEY,
  value text NOT NULL
);
`,
  },
  {
    name: '0002-ledger',
    // As src/store/sqlite/migrations/ledger.ts: entries with their exact bytes, complete-subtree
    // hashes packed 64 to a page (only the last page is ever rewritten), signed checkpoints.
    sql: `
CREATE TABLE ledger_entries (
  idx bigint PRIMARY KEY,
  kind text NOT NULL,
  time text NOT NULL,
  actor text NOT NULL,
  release_id text,
  bytes bytea NOT NULL
);
CREATE INDEX ledger_entries_release ON ledger_entries (release_id) WHERE release_id IS NOT NULL;

CREATE TABLE ledger_hash_pages (
  page bigint PRIMARY KEY,
  hashes bytea NOT NULL
);

CREATE TABLE ledger_checkpoints (
  size bigint PRIMARY KEY,
  root bytea NOT NULL,
  note text NOT NULL,
  signed_at text NOT NULL
);
`,
  },
  {
    name: '0003-hub-state',
    // Partners, agreements, conditions, users, sessions, releases, queue and TAXII state: the
    // SQLite migrations' own text, translated, so both engines hold the same tables and columns.
    sql: [
      policyMigration,
      usersMigration,
      derivedIdsMigration,
      taxiiMigration,
      releaseMigration,
      consoleMigration,
    ]
      .map((m) => translateSqliteDdl(m.sql))
      .join('\n'),
  },
  {
    name: '0004-change-notify',
    // Every commit that changes what TAXII pages show notifies the hub processes listening
    // (pg-change-listener.ts), so a page cache needs no query to know it is still current.
    // Statement-level and deduplicated per transaction by PostgreSQL: one notice per commit.
    sql: `
CREATE FUNCTION tearline_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('${PG_CHANGE_CHANNEL}', current_schema());
  RETURN NULL;
END $$;
CREATE TRIGGER releases_changed AFTER INSERT OR UPDATE OR DELETE ON releases
  FOR EACH STATEMENT EXECUTE FUNCTION tearline_notify_change();
CREATE TRIGGER submissions_changed AFTER INSERT OR UPDATE OR DELETE ON taxii_submissions
  FOR EACH STATEMENT EXECUTE FUNCTION tearline_notify_change();
CREATE TRIGGER objects_changed AFTER INSERT OR UPDATE OR DELETE ON objects
  FOR EACH STATEMENT EXECUTE FUNCTION tearline_notify_change();
`,
  },
  {
    name: '1100-ledger-private',
    // As src/store/sqlite/migrations/ledger-private.ts: the openings of version 2 entries, and
    // the list of (derived id, version) pairs beside each delivery entry.
    sql: `
ALTER TABLE ledger_entries ADD COLUMN salt bytea;
ALTER TABLE ledger_entries ADD COLUMN private bytea;

CREATE TABLE ledger_deliveries (
  idx bigint PRIMARY KEY,
  partner_id text COLLATE "C" NOT NULL,
  period_start text COLLATE "C" NOT NULL,
  period_end text COLLATE "C" NOT NULL,
  items text NOT NULL
);
CREATE INDEX ledger_deliveries_partner ON ledger_deliveries (partner_id, period_start);
`,
  },
  {
    name: witnessCosignaturesMigration.name,
    // Witness cosignatures of checkpoints: the SQLite migration's own text, translated.
    sql: translateSqliteDdl(witnessCosignaturesMigration.sql),
  },
  {
    name: '1300-submission-space',
    // As src/store/sqlite/migrations/submission-space.ts: partner submissions leave intel.
    sql: translateSqliteDdl(SUBMISSION_SPACE_COLUMNS) + moveLegacySubmissions('true'),
  },
  {
    name: '1400-auth',
    // The SQLite tables translated; the credential epoch moves in the same transaction as any
    // change that may end a credential, and every listening process hears of it at commit.
    sql: `${translateSqliteDdl(authTablesSql)}
CREATE FUNCTION tearline_auth_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE auth_epoch SET n = n + 1;
  PERFORM pg_notify('${PG_AUTH_CHANNEL}', current_schema());
  RETURN NULL;
END $$;
${AUTH_EPOCH_TABLES.map(
  (t) =>
    `CREATE TRIGGER ${t}_auth_epoch AFTER UPDATE OR DELETE ON ${t} FOR EACH STATEMENT EXECUTE FUNCTION tearline_auth_changed();`,
).join('\n')}
CREATE TRIGGER auth_throttle_lock_insert AFTER INSERT ON auth_throttle FOR EACH ROW
  WHEN (NEW.locked_at IS NOT NULL) EXECUTE FUNCTION tearline_auth_changed();
CREATE TRIGGER auth_throttle_lock_update AFTER UPDATE OF locked_at ON auth_throttle FOR EACH ROW
  WHEN (NEW.locked_at IS NOT NULL AND OLD.locked_at IS NULL) EXECUTE FUNCTION tearline_auth_changed();
`,
  },
  { name: agreementReasonMigration.name, sql: agreementReasonMigration.sql },
  {
    name: '1700-import-markings',
    sql: translateSqliteDdl(importMarkingsMigration.sql),
  },
  {
    name: '1800-osint-drafts',
    // As src/store/sqlite/migrations/osint-drafts.ts: drafts from articles, apart from intel.
    sql: translateSqliteDdl(OSINT_DRAFTS_DDL),
  },
  {
    name: relayMigration.name,
    // As src/store/sqlite/migrations/relay.ts: the liaison relay's tables, all three roles.
    sql: translateSqliteDdl(relayMigration.sql),
  },
  { name: releasePassMigration.name, sql: translateSqliteDdl(releasePassMigration.sql) },
  { name: releasePassMembersMigration.name, sql: translateSqliteDdl(releasePassMembersMigration.sql) },
  { name: outcomeHistoryMigration.name, sql: translateSqliteDdl(outcomeHistoryMigration.sql) },
  { name: relayReleasesMigration.name, sql: translateSqliteDdl(relayReleasesMigration.sql) },
  { name: outcomeReferencesMigration.name, sql: translateSqliteDdl(outcomeReferencesMigration.sql) },
  { name: relayPushFailuresMigration.name, sql: translateSqliteDdl(relayPushFailuresMigration.sql) },
  { name: relayBundlesMigration.name, sql: translateSqliteDdl(relayBundlesMigration.sql) },
  { name: relayReleaseLookupMigration.name, sql: translateSqliteDdl(relayReleaseLookupMigration.sql) },
];

/**
 * SQLite DDL in the portable subset the hub uses, as PostgreSQL DDL: an INTEGER PRIMARY KEY is
 * an identity column (SQLite fills it when omitted), integers are 64-bit, and text compares
 * byte by byte as in SQLite.
 */
export function translateSqliteDdl(sql: string): string {
  return sql
    .replace(/\bINTEGER PRIMARY KEY\b/g, 'bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY')
    .replace(/\bINTEGER\b/g, 'bigint')
    .replace(/\bTEXT\b/g, 'text COLLATE "C"');
}

/** Class of the two-key advisory locks this adapter takes; the second key is the schema's hash. */
export const PG_LOCK_CLASS = 0x7e41;
export const PG_LOCK_MIGRATE = `pg_advisory_xact_lock(${PG_LOCK_CLASS}, hashtext('migrate:' || current_schema()))`;

/**
 * Applies the migrations not yet recorded, under a lock so that N hub processes starting at once
 * apply each migration exactly once (the others wait, then find it recorded).
 */
export async function applyPgMigrations(
  pool: pg.Pool,
  migrations: readonly PgMigration[] = PG_MIGRATIONS,
): Promise<string[]> {
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    // One transaction, under the lock: two processes creating schema_migrations at once would
    // otherwise race on the catalog; DDL is transactional, so a failed migration leaves nothing.
    await client.query('BEGIN');
    try {
      await client.query(`SELECT ${PG_LOCK_MIGRATE}`);
      await client.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      const done = new Set(
        (await client.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((r) => r.name),
      );
      for (const m of migrations) {
        if (done.has(m.name)) continue;
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (name) VALUES ($1)', [m.name]);
        applied.push(m.name);
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK');
      throw err;
    }
  } finally {
    client.release();
  }
  return applied;
}
