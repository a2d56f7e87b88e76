import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';
import { initDataDir, readConfig } from '../src/app/data-dir.js';
import { type Hub, openHub } from '../src/app/hub.js';
import { openPgServedHub } from '../src/app/hub-postgres.js';
import { ensureLedgerKey } from '../src/app/ledger-key.js';
import { ManualClock } from '../src/clock.js';
import { openTestSchema, PG_SKIP_REASON, TEST_PG_URL } from '../src/store/postgres/pg-test-schema.js';

export interface EngineHub {
  hub: Hub;
  clock: ManualClock;
  /** The PostgreSQL URL (schema included) of a hub on that engine, for a child process to open. */
  dbUrl?: string;
  close(): Promise<void>;
}

/** A whole hub (data dir, keys, database) on its own SQLite file. */
export async function openSqliteEngineHub(t0 = '2026-06-01T00:00:00.000Z'): Promise<EngineHub> {
  const dir = mkdtempSync(join(tmpdir(), 'tearline-hub-'));
  const { paths } = initDataDir(dir);
  ensureLedgerKey(paths);
  const clock = new ManualClock(t0);
  const hub = openHub(dir, clock);
  return {
    hub,
    clock,
    close: async () => {
      hub.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A whole hub whose database is a fresh PostgreSQL schema (the data dir holds config and keys). */
export async function openPgEngineHub(t0 = '2026-06-01T00:00:00.000Z'): Promise<EngineHub> {
  const dir = mkdtempSync(join(tmpdir(), 'tearline-pghub-'));
  const { paths } = initDataDir(dir);
  ensureLedgerKey(paths);
  const schema = await openTestSchema('e');
  const clock = new ManualClock(t0);
  const url = `${TEST_PG_URL}${TEST_PG_URL.includes('?') ? '&' : '?'}schema=${schema.schema}`;
  const hub = await openPgServedHub(paths, readConfig(paths), url, clock);
  return {
    hub,
    clock,
    dbUrl: url,
    close: async () => {
      await hub.close();
      await schema.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A hub-level suite on SQLite always, and on PostgreSQL when TEARLINE_TEST_PG names a server. */
export function describeOnHubEngines(
  name: string,
  suite: (open: (t0?: string) => Promise<EngineHub>) => void,
): void {
  describe(`${name} (sqlite)`, () => suite(openSqliteEngineHub));
  if (!TEST_PG_URL) console.warn(PG_SKIP_REASON);
  describe.skipIf(!TEST_PG_URL)(`${name} (postgres)`, () => suite(openPgEngineHub));
}
