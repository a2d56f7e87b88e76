import type { SqliteDatabase } from './database.js';

/**
 * Indexes a large import may drop and build again once it ends (see SqliteObjectStore.beginBulk),
 * with their DDL exactly as the migrations made them (a test holds the two together). The
 * incoming-reference index is one: every reference lands on a random page of it, and building
 * it in one sorted pass costs a fraction of keeping it up row by row.
 */
export const DEFERRABLE_INDEXES = [
  { name: 'object_refs_dst', sql: 'CREATE INDEX object_refs_dst ON object_refs (dst_id)' },
] as const;

export function dropDeferrableIndexes(db: SqliteDatabase): void {
  db.transaction(() => {
    for (const ix of DEFERRABLE_INDEXES) db.exec(`DROP INDEX IF EXISTS ${ix.name}`);
  }).immediate();
}

/**
 * Builds any deferrable index that is missing: at the end of a bulk import, and when a database
 * opens (an import that was killed before its end leaves one out).
 */
export function restoreDeferredIndexes(db: SqliteDatabase): void {
  const present = new Set(
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").pluck().all() as string[],
  );
  const missing = DEFERRABLE_INDEXES.filter((ix) => !present.has(ix.name));
  if (missing.length === 0) return;
  // The build sorts every key: in temporary files, not memory (the hub keeps temporary tables in
  // memory), so a gigabyte import does not finish with its whole index sorted in RAM.
  const tempStore = db.pragma('temp_store', { simple: true }) as number;
  db.pragma('temp_store = FILE');
  try {
    db.transaction(() => {
      for (const ix of missing) db.exec(ix.sql.replace('CREATE INDEX', 'CREATE INDEX IF NOT EXISTS'));
    }).immediate();
  } finally {
    db.pragma(`temp_store = ${tempStore}`);
  }
}
