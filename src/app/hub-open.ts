import { type Clock, systemClock } from '../clock.js';
import { ConfigError, dataDirPaths, readConfig, resolveDataDir } from './data-dir.js';
import { type Hub, openHub } from './hub.js';
import { openPgServedHub, selectDatabase } from './hub-postgres.js';

export interface HubLocation {
  /** The data dir: config and keys (every process of a deployment has the same). */
  data?: string | undefined;
  /** postgres://… ; default TEARLINE_DB, else the data dir's SQLite file. */
  db?: string | undefined;
  /** A long-running server rather than one command: a larger pool, change notices. */
  serving?: boolean;
  /** The command only reads: SQLite is opened read-only (it works on a read-only or full disk). */
  readOnly?: boolean;
}

/**
 * Opens a hub on whichever database `--db` / TEARLINE_DB selects: the data dir's SQLite file by
 * default, or a PostgreSQL database that several hub processes share.
 */
export async function openHubAt(where: HubLocation, clock: Clock = systemClock): Promise<Hub> {
  const selected = selectDatabase(where.db, process.env);
  if (!selected.ok) throw new ConfigError(selected.message);
  if (selected.kind === 'sqlite') return openHub(where.data, clock, { readOnly: where.readOnly ?? false });
  const paths = dataDirPaths(resolveDataDir(where.data));
  return openPgServedHub(paths, readConfig(paths), selected.url, clock, where.serving ?? false);
}
