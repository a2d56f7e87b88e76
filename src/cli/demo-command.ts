import { createReadStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { formatConsoleScenario, loadConsoleScenario } from '../app/console-demo.js';
import { dataDirPaths, initDataDir, resolveDataDir } from '../app/data-dir.js';
import { openHub } from '../app/hub.js';
import { ensureLedgerKey } from '../app/ledger-key.js';
import { importStream } from '../ingest/import-stream.js';
import { formatSummary } from '../ingest/import-summary.js';
import { requireActor } from './cli-actor.js';
import { DATA_OPTION } from './cli-arguments.js';
import { CliError } from './cli-error.js';

/** The demo scenario ships with the package (demo/), never fetched at run time. */
export const DEMO_BUNDLE = fileURLToPath(new URL('../../../demo/isis-k-demo.json', import.meta.url));

/** Who the demo acts as while it sets up a hub that has no users yet (nobody can sign in). */
export const DEMO_SETUP_ACTOR = 'demo-setup';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'load the ISIS-K demo scenario (fictional indicators, public incidents): into a new data dir it creates (one user per role, passwords printed), or as an admin into a hub',
    )
    .option(...DATA_OPTION)
    .action(async (opts: { data?: string }) => {
      if (!existsSync(DEMO_BUNDLE))
        throw new CliError(`the demo data is missing from this installation (${DEMO_BUNDLE})`);
      const dir = resolveDataDir(opts.data);
      if (!existsSync(dataDirPaths(dir).config)) {
        const { paths } = initDataDir(dir);
        ensureLedgerKey(paths);
        // The scenario is about ISIS-K: the threat picture opens on it, not on the most linked actor.
        const config = JSON.parse(readFileSync(paths.config, 'utf8')) as Record<string, unknown>;
        writeFileSync(paths.config, `${JSON.stringify({ ...config, focus_actor: 'ISIS-K' }, null, 2)}\n`);
      }
      const hub = openHub(dir);
      try {
        // A hub with users already takes an admin's sign-in; a new one has nobody to sign in yet.
        const actor =
          (await hub.state.users.count()) === 0
            ? DEMO_SETUP_ACTOR
            : (await requireActor(hub, {}, 'hub.demo')).name;
        const summary = await importStream(createReadStream(DEMO_BUNDLE), hub.objects, {
          source: `demo:${join('demo', 'isis-k-demo.json')}`,
          actor,
          maxObjectBytes: hub.config.max_object_bytes,
        });
        hub.checkpointIfDue();
        process.stdout.write(`${formatSummary(summary)}\n`);
        if (summary.rejected > 0) throw new CliError('the demo data did not import cleanly');
        // The console's part of the scenario: partners, agreements, users, one pipeline run.
        process.stdout.write(formatConsoleScenario(await loadConsoleScenario(hub, undefined, actor)));
      } finally {
        hub.close();
      }
    });
}
