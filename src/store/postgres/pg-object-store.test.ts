import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.js';
import { describeObjectStoreContract } from '../object-store.contract.js';
import { PgLedger } from './pg-ledger.js';
import { applyPgMigrations, PG_MIGRATIONS } from './pg-migrations.js';
import { PgObjectStore } from './pg-object-store.js';
import { PgSql } from './pg-sql.js';
import { openTestSchema, PG_SKIP_REASON, TEST_PG_URL } from './pg-test-schema.js';

if (!TEST_PG_URL) console.warn(PG_SKIP_REASON);

describe.skipIf(!TEST_PG_URL)('postgres object store', () => {
  describeObjectStoreContract('postgres', async (clock) => {
    const db = await openTestSchema();
    return Object.assign(new PgObjectStore(db.pool, clock), { close: db.drop });
  });

  it('joins an open portable-SQL transaction: the batch and the other writes commit or roll back together', async () => {
    const db = await openTestSchema();
    try {
      const sql = new PgSql(db.pool, new PgLedger(db.pool));
      const store = new PgObjectStore(db.pool, new ManualClock('2026-01-01T00:00:00Z'), undefined, sql);
      const ip = (n: number) => {
        const object = {
          type: 'ipv4-addr',
          spec_version: '2.1',
          id: `ipv4-addr--00000000-0000-4000-8000-00000000000${n}`,
          value: `10.0.0.${n}`,
        };
        return { object, json: JSON.stringify(object), source: 'test' };
      };
      await expect(
        sql.transaction(async (tx) => {
          await store.putObjects([ip(1)]);
          await tx.run("INSERT INTO hub_meta (key, value) VALUES ('k', 'v')");
          throw new Error('refused');
        }),
      ).rejects.toThrow('refused');
      expect((await store.stats()).versions).toBe(0);
      await sql.transaction(async (tx) => {
        await store.putObjects([ip(2)]);
        await tx.run("INSERT INTO hub_meta (key, value) VALUES ('k', 'v')");
      });
      expect((await store.stats()).versions).toBe(1);
      expect(await sql.get("SELECT value FROM hub_meta WHERE key = 'k'")).toEqual({ value: 'v' });
    } finally {
      await db.drop();
    }
  });

  it('indexes every reference, nested ones included, in both directions', async () => {
    const db = await openTestSchema();
    try {
      const store = new PgObjectStore(db.pool, new ManualClock('2026-01-01T00:00:00Z'));
      const rel = {
        type: 'relationship',
        spec_version: '2.1',
        id: 'relationship--6598bf44-1c10-4218-af9f-75b5b71c23a7',
        created: '2024-01-01T00:00:00.000Z',
        modified: '2024-01-01T00:00:00.000Z',
        relationship_type: 'uses',
        source_ref: 'intrusion-set--4e78f46f-a023-4e5f-bc24-71b3ca22ec29',
        target_ref: 'malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b',
        object_marking_refs: ['marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da'],
        granular_markings: [
          {
            marking_ref: 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82',
            selectors: ['description'],
          },
        ],
      };
      const [put] = await store.putObjects([{ object: rel, json: JSON.stringify(rel), source: 't' }]);
      const out = await db.pool.query(
        'SELECT src_added_us::float8 AS a, path, dst_id FROM object_refs ORDER BY path',
      );
      expect(out.rows).toEqual([
        {
          a: put?.addedUs,
          path: 'granular_markings[0].marking_ref',
          dst_id: 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82',
        },
        {
          a: put?.addedUs,
          path: 'object_marking_refs[0]',
          dst_id: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da',
        },
        {
          a: put?.addedUs,
          path: 'source_ref',
          dst_id: 'intrusion-set--4e78f46f-a023-4e5f-bc24-71b3ca22ec29',
        },
        { a: put?.addedUs, path: 'target_ref', dst_id: 'malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b' },
      ]);
      // Incoming references are found through the index, not a scan.
      await db.pool.query('SET enable_seqscan = off');
      const plan = await db.pool.query("EXPLAIN SELECT src_id FROM object_refs WHERE dst_id = 'x'");
      expect(JSON.stringify(plan.rows)).toContain('object_refs_dst');
    } finally {
      await db.drop();
    }
  });

  it('applies migrations once, also when several processes start at once', async () => {
    const db = await openTestSchema();
    try {
      // openTestSchema applied them; three more concurrent runs must find them recorded.
      const again = await Promise.all([1, 2, 3].map(() => applyPgMigrations(db.pool)));
      expect(again).toEqual([[], [], []]);
      const names = await db.pool.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
      expect(names.rows.map((r) => r.name)).toEqual(PG_MIGRATIONS.map((m) => m.name));
    } finally {
      await db.drop();
    }
  });

  it('keeps the exact text received and stores nothing of a batch that fails', async () => {
    const db = await openTestSchema();
    try {
      const store = new PgObjectStore(db.pool, new ManualClock('2026-01-01T00:00:00Z'));
      const obj = {
        type: 'domain-name',
        spec_version: '2.1',
        id: 'domain-name--0a5b2e3c-1d4f-5a6b-8c7d-9e0f1a2b3c4d',
        value: 'é.example',
      };
      const text = `{ "type":"domain-name",\n "spec_version":"2.1", "id":"${obj.id}", "value":"\\u00e9.example" }`;
      await store.putObjects([{ object: obj, json: text, source: 't' }]);
      expect((await store.getLatest(obj.id))?.json).toBe(text);
      // A row the database refuses (NUL in text) rolls the whole batch back.
      const good = { ...obj, id: 'domain-name--1a5b2e3c-1d4f-5a6b-8c7d-9e0f1a2b3c4d' };
      await expect(
        store.putObjects([
          { object: good, json: JSON.stringify(good), source: 't' },
          {
            object: { ...good, id: 'domain-name--2a5b2e3c-1d4f-5a6b-8c7d-9e0f1a2b3c4d' },
            json: 'x\u0000',
            source: 't',
          },
        ]),
      ).rejects.toThrow();
      expect(await store.getLatest(good.id)).toBeUndefined();
      expect((await store.stats()).versions).toBe(1);
    } finally {
      await db.drop();
    }
  });
});
