import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { SubmissionReviewStore } from '../src/store/hub/submission-review-store.js';
import { PgLedger } from '../src/store/postgres/pg-ledger.js';
import { applyPgMigrations, PG_MIGRATIONS } from '../src/store/postgres/pg-migrations.js';
import { PgSql } from '../src/store/postgres/pg-sql.js';
import { PG_SKIP_REASON, TEST_PG_URL } from '../src/store/postgres/pg-test-schema.js';
import type { SqlDatabase } from '../src/store/sql/sql-database.js';
import { applyMigrations, openSqlite } from '../src/store/sqlite/database.js';
import { MIGRATIONS } from '../src/store/sqlite/migrations/index.js';
import { SqliteSql } from '../src/store/sqlite/sqlite-sql.js';

const P = 'identity--0b7e0b5c-55a5-4d0e-9a43-7d6c2ea0c001';
const HUB_ID = 'indicator--5c1a4a3e-0000-4000-8000-000000000001';
const NOTE = 'note--5c1a4a3e-0000-4000-8000-000000000002';
const LOST = 'note--5c1a4a3e-0000-4000-8000-000000000003';
const DERIVED = 'indicator--d0d0d0d0-0000-4000-8000-000000000009';
const V1 = '2026-01-01T00:00:00.000Z';
const V2 = '2026-03-01T00:00:00.000Z';
const KEY = (v: string) => v.replace('.000Z', '.000000000Z');

function indicator(modified: string, name: string) {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: HUB_ID,
    created: V1,
    modified,
    name,
    pattern: "[ipv4-addr:value = '198.51.100.7']",
    pattern_type: 'stix',
    valid_from: '2026-01-01T00:00:00Z',
  };
}

function note(id: string, refs: string[]) {
  return {
    type: 'note',
    spec_version: '2.1',
    id,
    created: V2,
    modified: V2,
    created_by_ref: P,
    content: 'seen',
    object_refs: refs,
  };
}

/**
 * A hub as it stood before 1300: a partner's newer version of the hub's indicator made latest
 * intel (finding 1) and released to another partner, a partner note stored in both places, and a
 * partner row in objects with no submission record.
 */
async function seedLegacy(sql: SqlDatabase): Promise<void> {
  await sql.run(
    "INSERT INTO partners (id, name, identity_json, token_hash, created_at, updated_at) VALUES (?, 'alpha', '{}', 'x', 't', 't')",
    [P],
  );
  const object = async (addedUs: number, o: Record<string, unknown>, source: string, latest: boolean) => {
    await sql.run(
      `INSERT INTO objects (added_us, id, version, type, spec_version, created, modified, is_latest, source, json)
       VALUES (?, ?, ?, ?, '2.1', ?, ?, ?, ?, ?)`,
      [
        addedUs,
        o.id,
        KEY(String(o.modified)),
        o.type,
        o.created,
        o.modified,
        latest,
        source,
        JSON.stringify(o),
      ],
    );
    await sql.run("INSERT INTO object_refs (src_added_us, src_id, path, dst_id) VALUES (?, ?, 'x_ref', ?)", [
      addedUs,
      o.id,
      P,
    ]);
  };
  const submission = async (pos: number, sent: Record<string, unknown>) => {
    await sql.run(
      `INSERT INTO taxii_submissions (pos_us, partner_id, status_id, object_id, version, version_key, type, json, is_latest)
       VALUES (?, ?, 's', ?, ?, ?, ?, ?, 1)`,
      [pos, P, sent.id, sent.modified, KEY(String(sent.modified)), sent.type, JSON.stringify(sent)],
    );
  };
  await object(1_000, indicator(V1, 'ours'), 'file:intel.json', false);
  await object(2_000, indicator(V2, 'overwritten by alpha'), 'taxii:partner:alpha', true);
  await submission(2_001, { ...indicator(V2, 'overwritten by alpha'), created_by_ref: P });
  await object(3_000, note(NOTE, [HUB_ID]), 'taxii:partner:alpha', true);
  await submission(3_001, note(NOTE, [DERIVED]));
  await object(4_000, note(LOST, []), 'taxii:partner:alpha', true);
  await sql.run(
    `INSERT INTO release_records (release_id, partner_id, derived_id, original_id, original_version, reasons,
       approvals, tearline_digest, released_at, visible_from, ledger_index)
     VALUES ('rel-1', 'identity--ally', 'indicator--ally-copy', ?, ?, '[]', '[]', 'd', 't', 't', 0)`,
    [HUB_ID, KEY(V2)],
  );
}

async function checkMoved(sql: SqlDatabase): Promise<void> {
  const objects = await sql.all<{ id: string; version: string; latest: number }>(
    'SELECT id, version, CASE WHEN is_latest THEN 1 ELSE 0 END AS latest FROM objects ORDER BY added_us',
  );
  expect(objects).toEqual([{ id: HUB_ID, version: KEY(V1), latest: 1 }]);
  const refs = await sql.all<{ src_added_us: number }>('SELECT src_added_us FROM object_refs');
  expect(refs.map((r) => Number(r.src_added_us))).toEqual([1_000]);
  const review = new SubmissionReviewStore(sql);
  const all = await review.list({ state: 'all', limit: 10 });
  expect(all.map((s) => [s.object_id, s.state, s.legacy, s.latest])).toEqual([
    [LOST, 'pending', true, true],
    [NOTE, 'pending', true, true],
    [HUB_ID, 'pending', true, true],
  ]);
  const moved = await review.get(all[1]?.number ?? 0);
  // The mapped copy is the exact intel row (hub ids), what its ingest ledger entry digests.
  expect(moved?.mapped).toEqual(note(NOTE, [HUB_ID]));
  expect(moved?.sent).toEqual(note(NOTE, [DERIVED]));
  const overwrite = all.find((s) => s.object_id === HUB_ID);
  expect(await review.releasedFromLegacy(overwrite as NonNullable<typeof overwrite>)).toEqual([
    {
      partner_id: 'identity--ally',
      release_id: 'rel-1',
      derived_id: 'indicator--ally-copy',
      released_at: 't',
      recalled_at: null,
    },
  ]);
}

// A hub as it stood before 1300: every migration before it (later ones, 1400-auth, follow it).
const before1300 = <M extends { name: string }>(list: readonly M[]) =>
  list.slice(
    0,
    list.findIndex((m) => m.name === '1300-submission-space'),
  );

describe('migration 1300 moves what partners submitted out of intel', () => {
  it('on SQLite', async () => {
    const db = openSqlite(':memory:', before1300(MIGRATIONS));
    try {
      const sql = new SqliteSql(db);
      await seedLegacy(sql);
      applyMigrations(db, MIGRATIONS);
      await checkMoved(sql);
    } finally {
      db.close();
    }
  });

  it.skipIf(!TEST_PG_URL)('on PostgreSQL', async () => {
    const schema = `m_${process.pid}_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    const pool = new pg.Pool({ connectionString: TEST_PG_URL, max: 2, options: `-c search_path=${schema}` });
    try {
      await applyPgMigrations(pool, before1300(PG_MIGRATIONS));
      const sql = new PgSql(pool, new PgLedger(pool));
      await seedLegacy(sql);
      expect(await applyPgMigrations(pool)).toEqual([
        '1300-submission-space',
        '1400-auth',
        '1410-agreement-reason',
        '1700-import-markings',
      ]);
      await checkMoved(sql);
    } finally {
      await pool.end();
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    }
  });
  if (!TEST_PG_URL) console.warn(PG_SKIP_REASON);
});
