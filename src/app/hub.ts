import { type Clock, systemClock } from '../clock.js';
import { openSqlite, type SqliteDatabase } from '../store/sqlite/database.js';
import { SqliteObjectStore } from '../store/sqlite/object-store.js';
import { type DataDirPaths, dataDirPaths, type HubConfig, readConfig, resolveDataDir } from './data-dir.js';

/** The composition root for one data dir: config, database and the adapters over it. */
export interface Hub {
  paths: DataDirPaths;
  config: HubConfig;
  db: SqliteDatabase;
  clock: Clock;
  objects: SqliteObjectStore;
  close(): void;
}

export function openHub(dataOption: string | undefined, clock: Clock = systemClock): Hub {
  const paths = dataDirPaths(resolveDataDir(dataOption));
  const config = readConfig(paths);
  const db = openSqlite(paths.database);
  return {
    paths,
    config,
    db,
    clock,
    objects: new SqliteObjectStore(db, clock),
    close: () => db.close(),
  };
}
