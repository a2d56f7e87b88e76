import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.js';
import { describeObjectStoreContract } from '../object-store.contract.js';
import { applyMigrations, openSqlite } from './database.js';
import { MIGRATIONS } from './migrations/index.js';
import { SqliteObjectStore } from './object-store.js';

describeObjectStoreContract('sqlite', async (clock) => {
  const db = openSqlite(':memory:');
  const store = new SqliteObjectStore(db, clock);
  return Object.assign(store, {
    close: () => {
      db.close();
    },
  });
});

describe('sqlite object store specifics', () => {
  it('indexes every reference, nested ones included, in both directions', async () => {
    const db = openSqlite(':memory:');
    const store = new SqliteObjectStore(db, new ManualClock('2026-01-01T00:00:00Z'));
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
    await store.putObjects([{ object: rel, json: JSON.stringify(rel), source: 't' }]);
    const refs = db.prepare('SELECT path, dst_id FROM object_refs ORDER BY path').all();
    expect(refs).toEqual([
      {
        path: 'granular_markings[0].marking_ref',
        dst_id: 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82',
      },
      { path: 'object_marking_refs[0]', dst_id: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da' },
      { path: 'source_ref', dst_id: 'intrusion-set--4e78f46f-a023-4e5f-bc24-71b3ca22ec29' },
      { path: 'target_ref', dst_id: 'malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b' },
    ]);
    const plan = db
      .prepare("EXPLAIN QUERY PLAN SELECT src_id FROM object_refs WHERE dst_id = 'x'")
      .all()
      .map((r) => (r as { detail: string }).detail)
      .join(' ');
    expect(plan).toContain('object_refs_dst');
    db.close();
  });

  it('applies migrations once and records them', () => {
    const db = openSqlite(':memory:');
    const names = db.prepare('SELECT name FROM schema_migrations ORDER BY rowid').pluck().all();
    expect(names[0]).toBe('0001-objects');
    expect(new Set(names).size).toBe(names.length);
    applyMigrations(db, MIGRATIONS);
    expect(db.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(names.length);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('makes new databases with 16 KiB pages and keeps the page size of an existing one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tearline-pages-'));
    try {
      const fresh = openSqlite(join(dir, 'new.db'));
      expect(fresh.pragma('page_size', { simple: true })).toBe(16384);
      expect(fresh.pragma('journal_mode', { simple: true })).toBe('wal');
      fresh.close();
      // A data dir made before this change: 4 KiB pages, WAL already on, some intel stored.
      const oldPath = join(dir, 'old.db');
      const old = new Database(oldPath);
      old.pragma('page_size = 4096');
      old.pragma('journal_mode = WAL');
      applyMigrations(old, MIGRATIONS);
      old.close();
      const reopened = openSqlite(oldPath);
      expect(reopened.pragma('page_size', { simple: true })).toBe(4096);
      const clock = new ManualClock('2026-01-01T00:00:00Z');
      const store = new SqliteObjectStore(reopened, clock);
      const obj = {
        type: 'identity',
        spec_version: '2.1',
        id: 'identity--7a1f1a2c-2f0e-4a53-9a3e-0f2d6b7b6e02',
        created: '2024-01-01T00:00:00.000Z',
        modified: '2024-01-01T00:00:00.000Z',
        name: 'x',
      };
      const [put] = await store.putObjects([{ object: obj, json: JSON.stringify(obj), source: 't' }]);
      expect(put?.outcome).toBe('added');
      expect((await store.getLatest(obj.id))?.json).toBe(JSON.stringify(obj));
      reopened.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stores several batches in one transaction, one ledger record per batch, all or none', () => {
    const identity = (n: number) => {
      const o = {
        type: 'identity',
        spec_version: '2.1',
        id: `identity--00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
        created: '2024-01-01T00:00:00.000Z',
        modified: '2024-01-01T00:00:00.000Z',
        name: `org ${n}`,
      };
      return { object: o, json: JSON.stringify(o), source: 't' };
    };
    const db = openSqlite(':memory:');
    const records: { count: number; inTransaction: boolean }[] = [];
    let failOn = -1;
    const store = new SqliteObjectStore(db, new ManualClock('2026-01-01T00:00:00Z'), (_ctx, stored) => {
      if (records.length === failOn) throw new Error('ledger down');
      records.push({ count: stored.length, inTransaction: db.inTransaction });
    });
    const ctx = { actor: 'a', source: 's' };
    const results = store.putBatchesSync(
      [
        [identity(1), identity(2)],
        [identity(2), identity(3)],
      ],
      ctx,
    );
    expect(results.map((r) => r.map((x) => x.outcome))).toEqual([
      ['added', 'added'],
      ['duplicate', 'added'],
    ]);
    expect(records).toEqual([
      { count: 2, inTransaction: true },
      { count: 1, inTransaction: true },
    ]);
    const added = results.flat().flatMap((r) => (r.addedUs === undefined ? [] : [r.addedUs]));
    expect(added).toEqual([...added].sort((a, b) => a - b));
    expect(new Set(added).size).toBe(3);
    // The second batch's ledger record fails: the first batch of the same commit is not kept.
    failOn = records.length + 1;
    expect(() => store.putBatchesSync([[identity(4)], [identity(5)]], ctx)).toThrow('ledger down');
    expect(db.prepare('SELECT count(*) FROM objects').pluck().get()).toBe(3);
    db.close();
  });
});
