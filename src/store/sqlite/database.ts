import { existsSync, statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { StorageOpenError } from '../storage-fault.js';
import { restoreDeferredIndexes } from './deferred-indexes.js';
import { MIGRATIONS, type Migration } from './migrations/index.js';

// URI filenames (for ?immutable=1, see openSqliteReadOnly). better-sqlite3 reads this once, when
// the first connection of the process loads SQLite; our paths are absolute, never 'file:...'.
process.env.SQLITE_USE_URI ??= '1';

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

/**
 * Opens a hub database for reading only, for commands that only read: they keep working from a
 * read-only data dir or a full disk. A WAL database needs its -shm file, which a read-only
 * directory or a full disk cannot give it when the hub closed cleanly (none is left behind);
 * then the file is opened as immutable, which is exact because an absent or empty -wal holds no
 * committed frame the file lacks. The schema must be current: it is not migrated here.
 */
export function openSqliteReadOnly(
  path: string,
  migrations: readonly Migration[] = MIGRATIONS,
): SqliteDatabase {
  let db: SqliteDatabase | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    db.pragma('journal_mode', { simple: true });
  } catch (err) {
    db?.close();
    const code = String((err as { code?: unknown }).code ?? '');
    const wal = `${path}-wal`;
    const walEmpty = !existsSync(wal) || statSync(wal).size === 0;
    if (!(code === 'SQLITE_CANTOPEN' || code.startsWith('SQLITE_IOERR')) || !walEmpty || !existsSync(path))
      throw err;
    db = new Database(`${pathToFileURL(path).href}?immutable=1`, { readonly: true, fileMustExist: true });
  }
  db.pragma('busy_timeout = 5000');
  db.pragma('cache_size = -32768');
  const applied = new Set(
    (db.prepare('SELECT name FROM schema_migrations').all() as { name: string }[]).map((r) => r.name),
  );
  const missing = migrations.filter((m) => !applied.has(m.name));
  if (missing.length > 0) {
    db.close();
    throw new StorageOpenError(
      `${path}: the database needs upgrading (${missing.length} migrations, first ${missing[0]?.name}); ` +
        'run a command that writes (or tearline init) once with write access',
    );
  }
  return db;
}
