import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.js';
import { prepareObject } from '../prepared-object.js';
import { openSqlite, WAL_AUTOCHECKPOINT_PAGES } from './database.js';
import { DEFERRABLE_INDEXES } from './deferred-indexes.js';
import { SqliteObjectStore } from './object-store.js';
import { BackgroundCheckpointer } from './wal-checkpointer.js';

const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
function relationship(n: number) {
  const object = {
    type: 'relationship',
    spec_version: '2.1',
    id: `relationship--${uuid(n)}`,
    created: '2024-01-01T00:00:00.000Z',
    modified: '2024-01-01T00:00:00.000Z',
    relationship_type: 'uses',
    source_ref: `intrusion-set--${uuid(100_000 + n)}`,
    target_ref: `malware--${uuid(200_000 + n)}`,
    description: 'x'.repeat(400),
  };
  return { object, json: JSON.stringify(object), source: `t#${n}` };
}

const indexSql = (db: Database.Database, name: string) =>
  db.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?").pluck().get(name);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tearline-bulk-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('deferrable indexes', () => {
  it('are declared exactly as the migrations create them', () => {
    const db = openSqlite(':memory:');
    for (const ix of DEFERRABLE_INDEXES) expect(indexSql(db, ix.name)).toBe(ix.sql);
    db.close();
  });

  it('are built again when a database opens without them (an import killed mid-way)', () => {
    const path = join(dir, 'hub.db');
    const db = openSqlite(path);
    db.exec('DROP INDEX object_refs_dst');
    db.close();
    const again = openSqlite(path);
    expect(indexSql(again, 'object_refs_dst')).toBe(DEFERRABLE_INDEXES[0].sql);
    again.close();
  });
});

describe('bulk writes', () => {
  it('drop the incoming-reference index when the import will at least double the references, and build it at the end', async () => {
    const db = openSqlite(join(dir, 'hub.db'));
    const store = new SqliteObjectStore(db, new ManualClock('2026-01-01T00:00:00Z'));
    await store.putObjects([1, 2].map(relationship));
    const bulk = store.beginBulk({ expectedObjects: 10 });
    expect(indexSql(db, 'object_refs_dst')).toBeUndefined();
    await store.putPrepared([Array.from({ length: 10 }, (_, i) => prepareObject(relationship(3 + i)))]);
    // Lookups stay right meanwhile (they scan).
    const who = db.prepare('SELECT src_id FROM object_refs WHERE dst_id = ?').pluck();
    expect(who.all(`malware--${uuid(200_007)}`)).toEqual([`relationship--${uuid(7)}`]);
    await bulk.end();
    expect(indexSql(db, 'object_refs_dst')).toBe(DEFERRABLE_INDEXES[0].sql);
    const plan = db
      .prepare('EXPLAIN QUERY PLAN SELECT src_id FROM object_refs WHERE dst_id = ?')
      .all('x')
      .map((r) => (r as { detail: string }).detail)
      .join(' ');
    expect(plan).toContain('object_refs_dst');
    expect(who.all(`malware--${uuid(200_012)}`)).toEqual([`relationship--${uuid(12)}`]);
    db.close();
  });

  it('keep the index when the store already holds more references than the import brings, or the size is unknown', async () => {
    const db = openSqlite(join(dir, 'hub.db'));
    const store = new SqliteObjectStore(db, new ManualClock('2026-01-01T00:00:00Z'));
    await store.putObjects(Array.from({ length: 20 }, (_, i) => relationship(i + 1)));
    for (const hint of [{ expectedObjects: 5 }, {}]) {
      const bulk = store.beginBulk(hint);
      expect(indexSql(db, 'object_refs_dst')).toBe(DEFERRABLE_INDEXES[0].sql);
      await bulk.end();
    }
    db.close();
  });

  it('commit what they stored when they end, visible to another connection, and give back automatic checkpoints', async () => {
    const path = join(dir, 'hub.db');
    const db = openSqlite(path);
    const store = new SqliteObjectStore(db, new ManualClock('2026-01-01T00:00:00Z'));
    const bulk = store.beginBulk({});
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const results = await store.putPrepared([[1, 2, 3].map((n) => prepareObject(relationship(n)))]);
    expect(results[0]?.map((r) => r.outcome)).toEqual(['added', 'added', 'added']);
    await bulk.end();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(WAL_AUTOCHECKPOINT_PAGES);
    const reader = new Database(path, { readonly: true });
    expect(reader.prepare('SELECT count(*) FROM objects').pluck().get()).toBe(3);
    reader.close();
    db.close();
  });
});

describe('a failure in a bulk write', () => {
  it('undoes the whole uncommitted group (nothing the ledger missed is kept) and leaves the store usable', async () => {
    const db = openSqlite(join(dir, 'hub.db'));
    let calls = 0;
    const store = new SqliteObjectStore(db, new ManualClock('2026-01-01T00:00:00Z'), () => {
      if (++calls === 3) throw new Error('ledger: refused');
    });
    const ctx = { actor: 'a', source: 's' };
    const bulk = store.beginBulk({});
    await store.putPrepared([[prepareObject(relationship(1))]], ctx);
    await store.putPrepared([[prepareObject(relationship(2))]], ctx);
    await expect(store.putPrepared([[prepareObject(relationship(3))]], ctx)).rejects.toThrow(
      'ledger: refused',
    );
    expect(db.inTransaction).toBe(false);
    expect(db.prepare('SELECT count(*) FROM objects').pluck().get()).toBe(0);
    await store.putPrepared([[prepareObject(relationship(4))]], ctx);
    await bulk.end();
    expect(db.prepare('SELECT id FROM objects').pluck().all()).toEqual([`relationship--${uuid(4)}`]);
    db.close();
  });
});

describe('BackgroundCheckpointer', () => {
  it('keeps the WAL bounded: the writer waits for the copy once the WAL passes its bound', async () => {
    // The WAL file never shrinks: its size is the most it ever held. The control writes the
    // same forty commits with no checkpoint at all (not a checkpointer without waits, whose
    // growth depends on how fast this machine's worker happens to copy), so it grows by every
    // page written and shows the bound is the checkpointer's doing.
    const walPagesAfter = async (checkpointer: boolean) => {
      const path = join(dir, `hub-${checkpointer}.db`);
      const db = openSqlite(path);
      const store = new SqliteObjectStore(db, new ManualClock('2026-01-01T00:00:00Z'));
      const ckpt = checkpointer ? BackgroundCheckpointer.start(db, { maxWalPages: 16 }) : undefined;
      if (!checkpointer) db.pragma('wal_autocheckpoint = 0');
      await ckpt?.settle();
      const pageSize = db.pragma('page_size', { simple: true }) as number;
      const before = statSync(`${path}-wal`).size / pageSize;
      for (let round = 0; round < 40; round++) {
        await ckpt?.beforeWrite();
        store.putPreparedSync([
          Array.from({ length: 20 }, (_, i) => prepareObject(relationship(round * 100 + i + 1))),
        ]);
        ckpt?.afterCommit();
      }
      await ckpt?.stop();
      expect(db.prepare('SELECT count(*) FROM objects').pluck().get()).toBe(800);
      const grown = statSync(`${path}-wal`).size / pageSize - before;
      const done = (db.pragma('wal_checkpoint(PASSIVE)') as { log: number; checkpointed: number }[])[0];
      expect(done?.checkpointed).toBe(done?.log);
      db.close();
      return grown;
    };
    expect(await walPagesAfter(true)).toBeLessThan(40);
    expect(await walPagesAfter(false)).toBeGreaterThan(100);
  });

  it('is not started for an in-memory database', () => {
    const db = openSqlite(':memory:');
    expect(BackgroundCheckpointer.start(db)).toBeUndefined();
    db.close();
  });
});
