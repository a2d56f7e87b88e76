import Database from 'better-sqlite3';
import { restoreDeferredIndexes } from './deferred-indexes.js';
import { MIGRATIONS, type Migration } from './migrations/index.js';

export type SqliteDatabase = Database.Database;

/** WAL pages between automatic checkpoints (see openSqlite). */
export const WAL_AUTOCHECKPOINT_PAGES = 2048;

/**
 * Opens (creating if needed) a hub database and brings its schema up to date.
 * Pass ':memory:' for a throwaway database in tests.
 */
export function openSqlite(path: string, migrations: readonly Migration[] = MIGRATIONS): SqliteDatabase {
  const db = new Database(path);
  // 16 KiB pages for a new database (an existing one keeps its size): an intel version is about
  // a kilobyte of JSON, so a page holds a dozen rows instead of three, the B-trees are shallower
  // and an import's commits write fewer, fuller pages (about a fifth less CPU per object stored).
  // Set before WAL mode, which fixes the page size. Costs: a point read fetches 16 KiB.
  db.pragma('page_size = 16384');
  // WAL lets TAXII readers proceed while an import writes; NORMAL sync is durable across
  // process crashes in WAL mode and only risks the last commits on power loss.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  // Several processes (CLI beside a running server) may write: wait rather than fail at once.
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  // Bounded page cache (negative = KiB): memory stays flat on gigabyte imports. 32 MiB, not 64:
  // measured no slower on a 200k-object import, and it keeps a gigabyte import's peak RSS, with
  // two batches per commit held in memory, well under 300 MB.
  db.pragma('cache_size = -32768');
  db.pragma('temp_store = MEMORY');
  // Checkpoint every ~32 MiB of WAL (2048 pages of 16 KiB; the default is 1000 pages): an import
  // rewrites the same index pages batch after batch, and each checkpoint copies them back once.
  // No durability cost (committed frames are in the WAL either way); the WAL file grows to that
  // size and crash recovery replays more of it.
  db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
  applyMigrations(db, migrations);
  if (migrations === MIGRATIONS) restoreDeferredIndexes(db);
  return db;
}

export function applyMigrations(db: SqliteDatabase, migrations: readonly Migration[]): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    name TEXT PRIMARY KEY,
    applied_at TEXT NOT NULL
  )`);
  const applied = new Set(
    (db.prepare('SELECT name FROM schema_migrations').all() as { name: string }[]).map((r) => r.name),
  );
  const record = db.prepare('INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)');
  for (const m of migrations) {
    if (applied.has(m.name)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.name, new Date().toISOString());
    }).immediate();
  }
}
