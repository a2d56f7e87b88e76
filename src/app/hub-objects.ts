import { systemClock } from '../clock.js';
import type { ImportTarget } from '../ingest/import-stream.js';
import type { ObjectReader, StatsReader } from '../store/ports.js';
import { ConfigError } from './data-dir.js';
import { openHub } from './hub.js';
import { openPgHub, selectDatabase } from './hub-postgres.js';
import { loadLedgerSigner } from './ledger-key.js';

/** The object store of a hub, on whichever database `--db` / TEARLINE_DB selects. */
export interface HubObjects {
  objects: ImportTarget & ObjectReader & StatsReader;
  config: { max_object_bytes: number };
  /** Signs a checkpoint over what the command appended to the ledger. */
  checkpoint(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens the data dir (config and keys stay there) and the object store: the data dir's SQLite
 * file by default, or PostgreSQL when `--db postgres://…` or TEARLINE_DB says so.
 */
export async function openHubObjects(
  dataOption: string | undefined,
  dbOption: string | undefined,
): Promise<HubObjects> {
  const selected = selectDatabase(dbOption, process.env);
  if (!selected.ok) throw new ConfigError(selected.message);
  const hub = openHub(dataOption);
  if (selected.kind === 'sqlite') {
    return {
      objects: hub.objects,
      config: hub.config,
      checkpoint: async () => hub.checkpointIfDue(),
      close: async () => hub.close(),
    };
  }
  const paths = hub.paths;
  const config = hub.config;
  hub.close();
  const opened = await openPgHub(selected.url, systemClock);
  if (!opened.ok) throw new ConfigError(`--db: ${opened.error.message}`);
  const pg = opened.hub;
  return {
    objects: pg.objects,
    config,
    checkpoint: async () => {
      const signer = loadLedgerSigner(paths, config.hub_name);
      if (!signer.ok) throw new ConfigError(signer.message);
      const r = await pg.checkpoints.checkpoint(systemClock.now(), signer.signer);
      if (!r.ok && r.code !== 'empty-tree') throw new ConfigError(`ledger checkpoint: ${r.message}`);
    },
    close: () => pg.close(),
  };
}
