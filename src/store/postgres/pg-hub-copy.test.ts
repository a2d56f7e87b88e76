import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.js';
import { createSigner } from '../../ledger/ledger-note.js';
import { DeliveryStore } from '../hub/delivery-store.js';
import { ingestBatchEntry } from '../ingest-batch-entry.js';
import { openSqlite, type SqliteDatabase } from '../sqlite/database.js';
import { SqliteLedgerCheckpoints } from '../sqlite/ledger-checkpoints.js';
import { encodeLegacyEntries, SqliteLedger } from '../sqlite/ledger-store.js';
import { SqliteObjectStore } from '../sqlite/object-store.js';
import { SqliteSql } from '../sqlite/sqlite-sql.js';
import { copyHubToPg } from './pg-hub-copy.js';
import { PgLedger } from './pg-ledger.js';
import { PgObjectStore } from './pg-object-store.js';
import { openTestSchema, PG_SKIP_REASON, TEST_PG_URL } from './pg-test-schema.js';

if (!TEST_PG_URL) console.warn(PG_SKIP_REASON);

/** A SQLite hub with versions, references, a quarantined input, ledger entries and a checkpoint. */
async function buildSqliteHub(): Promise<SqliteDatabase> {
  const db = openSqlite(':memory:');
  const clock = new ManualClock('2026-11-28T10:00:00Z');
  const ledger = new SqliteLedger(db);
  // An older hub's first entry, written before entries had private parts (version 1).
  const legacy = encodeLegacyEntries([
    {
      kind: 'user-change',
      time: '2026-11-01T00:00:00Z',
      actor: 'admin',
      user: 'olga',
      change: 'add',
      digest: 'd',
    },
  ]);
  if (!legacy.ok || !ledger.appendSealed(legacy.sealed).ok) throw new Error('legacy entry');
  const store = new SqliteObjectStore(db, clock, (ctx, stored) => {
    const r = ledger.appendEntries([ingestBatchEntry(ctx.source, ctx.actor, clock.now(), stored)]);
    if (!r.ok) throw new Error(r.message);
  });
  const signer = createSigner('hub.test', Buffer.alloc(32, 7));
  if (!signer.ok) throw new Error(signer.message);
  const checkpoints = new SqliteLedgerCheckpoints(ledger);
  for (let b = 0; b < 5; b++) {
    const batch = Array.from({ length: 30 }, (_, i) => {
      const object = {
        type: 'indicator',
        spec_version: '2.1',
        id: `indicator--${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`,
        created: '2024-01-01T00:00:00.000Z',
        modified: `2024-01-0${5 - b}T00:00:00.000Z`,
        name: 'Ünïcode ✓',
        created_by_ref: 'identity--0b8b5b9e-8f57-4f5e-9a43-2d1c6f1f0c11',
        object_marking_refs: ['marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da'],
        pattern: "[ipv4-addr:value = '198.51.100.1']",
        pattern_type: 'stix',
        valid_from: '2024-01-01T00:00:00Z',
      };
      return { object, json: JSON.stringify(object), source: `file:b${b}.json` };
    });
    await store.putObjects(batch, { actor: 'analyst', source: `file:b${b}.json` });
    clock.advance(1000);
    if (b === 2) checkpoints.checkpoint(clock.now(), signer.signer);
  }
  await store.quarantine([
    {
      source: 'file:x',
      location: 'line 3',
      raw: '{"a":',
      errors: [{ path: '', code: 'bad-json', message: 'x' }],
    },
  ]);
  db.prepare("INSERT INTO hub_meta (key, value) VALUES ('k', 'v')").run();
  // Hub state: a partner with its history, an agreement, one release and its feed row.
  db.exec(`
    INSERT INTO partners (id, name, identity_json, token_hash, enabled, created_at, updated_at)
      VALUES ('identity--p1', 'ally', '{}', '$argon2id$x', 1, 't0', 't0');
    INSERT INTO partner_events (partner_id, action, at, actor, detail) VALUES ('identity--p1', 'add', 't0', 'admin', '{}');
    INSERT INTO partner_events (partner_id, action, at, actor, detail) VALUES ('identity--p1', 'rotate', 't1', 'admin', '{}');
    INSERT INTO agreements (partner_id, version, format, raw_text, body_json, set_at, actor)
      VALUES ('identity--p1', 1, 'yaml', 'x: 1', '{"x":1}', 't0', 'admin');
    INSERT INTO releases (partner_id, object_id, version, version_key, type, json, digest, original_id,
      original_version, released_us, visible_from_us, feed_us, is_latest)
      VALUES ('identity--p1', 'indicator--d1', 'v', 'v', 'indicator', '{}', 'd', 'indicator--o1', 'v', 5, 5, 5, 1);
    INSERT INTO release_records (release_id, partner_id, derived_id, original_id, original_version, reasons,
      approvals, tearline_digest, released_at, visible_from, ledger_index)
      VALUES ('release--r1', 'identity--p1', 'indicator--d1', 'indicator--o1', 'v', '[]', '[]', 'd', 't', 't', 4);
    INSERT INTO taxii_submissions (pos_us, partner_id, status_id, object_id, version, version_key, type, json,
      is_latest, mapped_json, review_state, reviewed_by, reviewed_at, review_note, legacy_added_us)
      VALUES (7, 'identity--p1', 's1', 'note--n1', 'v', 'v', 'note', '{"sent":1}', 1, '{"mapped":1}',
        'rejected', 'analyst', 't2', 'not credible', 6);
    INSERT INTO import_marking_defaults (scope, name, marking, kind, set_by, set_at)
      VALUES ('user', 'ivan', 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb', 'tlp', 'admin', 't0');
    INSERT INTO release_pass_state (scope, state_key, object_cursor, changes_at, updated_at)
      VALUES ('identity--p1', 'k', 5, NULL, 't0');
    INSERT INTO release_pass_members (partner_id, member_set, object_id)
      VALUES ('identity--p1', 'neighbourhood', 'indicator--d1'), ('identity--p1', 'locations', 'location--l1');
  `);
  await new DeliveryStore(new SqliteSql(db)).write(
    [
      {
        partnerId: 'identity--p1',
        periodStart: new Date('2026-11-28T10:00:00Z'),
        periodEnd: new Date('2026-11-28T10:01:00Z'),
        items: [['indicator--d1', 'v']],
      },
    ],
    clock.now(),
  );
  checkpoints.checkpoint(clock.now(), signer.signer);
  // Two witness cosignatures of the checkpoints (migration 1200-witness-cosignatures).
  const [first, latest] = (
    db.prepare('SELECT size FROM ledger_checkpoints ORDER BY size').all() as { size: number }[]
  ).map((r) => r.size);
  db.prepare(
    `INSERT INTO ledger_cosignatures (size, witness_key, witness_name, cosigned_unix, line, received_at)
      VALUES (?, 'w.test/a+00000001+BA', 'w.test/a', 1790000000, '— w.test/a AAAA', 't'),
             (?, 'w.test/a+00000001+BA', 'w.test/a', 1790000001, '— w.test/a BBBB', 't')`,
  ).run(first, latest);
  return db;
}

describe.skipIf(!TEST_PG_URL)('copying a SQLite hub into PostgreSQL', () => {
  it('copies every row, keeps added values and the ledger, and verifies them on arrival', async () => {
    const lite = await buildSqliteHub();
    const pg = await openTestSchema('m');
    try {
      const res = await copyHubToPg(lite, pg.pool);
      expect(res).toMatchObject({
        ok: true,
        ledgerSize: 7,
        rows: {
          objects: 150,
          object_refs: 300,
          quarantine: 1,
          hub_meta: 1,
          ledger_entries: 7,
          ledger_deliveries: 1,
          ledger_hash_pages: 1,
          ledger_checkpoints: 2,
          partners: 1,
          partner_events: 2,
          agreements: 1,
          releases: 1,
          release_records: 1,
          import_marking_defaults: 1,
          release_pass_state: 1,
          release_pass_members: 2,
          users: 0,
          ledger_cosignatures: 2,
        },
      });
      // Identity columns continue after the copied rows.
      const ev = await pg.pool.query(
        "INSERT INTO partner_events (partner_id, action, at, actor, detail) VALUES ('identity--p1', 'x', 't', 'a', '{}') RETURNING seq",
      );
      expect(Number(ev.rows[0]?.seq)).toBe(3);
      const rel = await pg.pool.query<{ json: string; feed_us: string }>(
        "SELECT json, feed_us FROM releases WHERE object_id = 'indicator--d1'",
      );
      expect(rel.rows).toEqual([{ json: '{}', feed_us: '5' }]);
      const cosigned = await pg.pool.query<{ line: string }>(
        'SELECT line FROM ledger_cosignatures WHERE size = (SELECT max(size) FROM ledger_checkpoints)',
      );
      expect(cosigned.rows).toEqual([{ line: '— w.test/a BBBB' }]);
      // Partner submissions keep their review (migration 1300's columns) on the copy.
      const sub = await pg.pool.query(
        'SELECT mapped_json, review_state, reviewed_by, review_note, legacy_added_us FROM taxii_submissions',
      );
      expect(sub.rows).toEqual([
        {
          mapped_json: '{"mapped":1}',
          review_state: 'rejected',
          reviewed_by: 'analyst',
          review_note: 'not credible',
          legacy_added_us: '6',
        },
      ]);
      const liteStore = new SqliteObjectStore(lite, new ManualClock('2026-11-28T10:00:00Z'));
      const pgStore = new PgObjectStore(pg.pool, new ManualClock('2026-11-28T10:00:00Z'));
      expect(await pgStore.page({ limit: 1000, versions: 'all' })).toEqual(
        await liteStore.page({ limit: 1000, versions: 'all' }),
      );
      expect(await pgStore.stats()).toEqual(await liteStore.stats());
      const root = await new PgLedger(pg.pool).root(7);
      const liteRoot = new SqliteLedger(lite).root(7);
      expect(root.ok && liteRoot.ok && Buffer.from(root.root).equals(Buffer.from(liteRoot.root))).toBe(true);
      // The copy goes on as a hub: the next batch gets an added value after the copied ones.
      const next = {
        type: 'ipv4-addr',
        spec_version: '2.1',
        id: 'ipv4-addr--00000000-0000-4000-8000-00000000ffff',
        value: '10.0.0.1',
      };
      const [put] = await pgStore.putObjects([{ object: next, json: JSON.stringify(next), source: 't' }]);
      const last = (await liteStore.page({ limit: 1000, versions: 'all' })).at(-1)?.addedUs as number;
      expect(put?.addedUs).toBeGreaterThan(last);

      // A second migration into the same database is refused, and changes nothing.
      const again = await copyHubToPg(lite, pg.pool);
      expect(again).toMatchObject({ ok: false, error: { code: 'target-not-empty' } });
      expect((await pgStore.stats()).versions).toBe(151);
    } finally {
      lite.close();
      await pg.drop();
    }
  });

  it('refuses a hub holding data the PostgreSQL backend cannot hold yet, copying nothing', async () => {
    const lite = await buildSqliteHub();
    const pg = await openTestSchema('m');
    try {
      lite.prepare('CREATE TABLE extra_feature (x INTEGER)').run();
      lite.prepare('INSERT INTO extra_feature (x) VALUES (1)').run();
      const res = await copyHubToPg(lite, pg.pool);
      expect(res).toMatchObject({ ok: false, error: { code: 'unsupported-data' } });
      expect(res.ok ? '' : res.error.message).toContain('extra_feature');
      expect(
        (await new PgObjectStore(pg.pool, new ManualClock('2026-01-01T00:00:00Z')).stats()).versions,
      ).toBe(0);
    } finally {
      lite.close();
      await pg.drop();
    }
  });

  it('rolls everything back when an entry does not open with the private part that arrived', async () => {
    const lite = await buildSqliteHub();
    const pg = await openTestSchema('m');
    try {
      lite.prepare('UPDATE ledger_entries SET salt = zeroblob(32) WHERE idx = 2').run();
      const res = await copyHubToPg(lite, pg.pool);
      expect(res).toMatchObject({
        ok: false,
        error: { code: 'verify-failed', message: expect.stringContaining('entry 2') },
      });
      const n = await pg.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM ledger_entries');
      expect(n.rows[0]?.n).toBe(0);
    } finally {
      lite.close();
      await pg.drop();
    }
  });

  it('rolls everything back when the ledger does not verify on arrival', async () => {
    const lite = await buildSqliteHub();
    const pg = await openTestSchema('m');
    try {
      // A damaged source: one entry's bytes changed after its hashes were stored.
      lite.prepare("UPDATE ledger_entries SET bytes = CAST('{}' AS BLOB) WHERE idx = 3").run();
      const res = await copyHubToPg(lite, pg.pool);
      expect(res).toMatchObject({ ok: false, error: { code: 'verify-failed' } });
      const n = await pg.pool.query<{ n: number }>(
        'SELECT (SELECT count(*) FROM objects)::int + (SELECT count(*) FROM ledger_entries)::int AS n',
      );
      expect(n.rows[0]?.n).toBe(0);
    } finally {
      lite.close();
      await pg.drop();
    }
  });
});
