import { createReadStream, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ConsoleScenario, loadConsoleScenario } from '../src/app/console-demo.js';
import { type DataDirPaths, initDataDir } from '../src/app/data-dir.js';
import { type SqliteHub as Hub, openHub } from '../src/app/hub.js';
import { ensureLedgerKey } from '../src/app/ledger-key.js';
import { buildServer } from '../src/app/server.js';
import { ManualClock } from '../src/clock.js';
import { importStream } from '../src/ingest/import-stream.js';
import { LENIENT_THROTTLE } from './auth-fixture.js';
import { REPO_ROOT } from './run-cli.js';

export const T0 = '2026-11-28T10:00:00.000Z';

/** A real data dir with the demo scenario loaded (bundle, partners, users, one pipeline run). */
export async function openDemoHub(
  configure?: (paths: DataDirPaths) => void | Promise<void>,
): Promise<{ hub: Hub; clock: ManualClock; scenario: ConsoleScenario }> {
  const dir = join(mkdtempSync(join(tmpdir(), 'tearline-console-')), 'hub');
  const { paths } = initDataDir(dir);
  ensureLedgerKey(paths);
  // Before the hub opens: a test may set witnesses in the config.
  await configure?.(paths);
  // The console's tests are not about checkpoint steps: sign after every batch of work, so a
  // receipt is there as soon as an officer releases (as a hub configured so would).
  const config = JSON.parse(readFileSync(paths.config, 'utf8')) as Record<string, unknown>;
  writeFileSync(paths.config, JSON.stringify({ ...config, ledger_checkpoint_seconds: 0 }));
  const clock = new ManualClock(T0);
  const hub = openHub(dir, clock);
  await importStream(createReadStream(join(REPO_ROOT, 'demo', 'isis-k-demo.json')), hub.objects, {
    source: 'demo',
    actor: 'analyst',
    maxObjectBytes: hub.config.max_object_bytes,
  });
  hub.checkpointIfDue();
  const scenario = await loadConsoleScenario(hub);
  return { hub, clock, scenario };
}

export function passwordOf(scenario: ConsoleScenario, name: string): string {
  const p = scenario.users.find((u) => u.name === name)?.password;
  if (!p) throw new Error(`no demo password for ${name}`);
  return p;
}

export function buildConsoleServer(hub: Hub) {
  return buildServer(hub, { throttle: LENIENT_THROTTLE, pageCache: { maxEntries: 0, maxBytes: 0 } });
}
