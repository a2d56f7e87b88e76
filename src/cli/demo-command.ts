import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { formatConsoleScenario, loadConsoleScenario } from '../app/console-demo.js';
import { openHub } from '../app/hub.js';
import { importStream } from '../ingest/import-stream.js';
import { formatSummary } from '../ingest/import-summary.js';
import { CliError } from './cli-error.js';

/** The demo scenario ships with the package (demo/), never fetched at run time. */
export const DEMO_BUNDLE = fileURLToPath(new URL('../../../demo/isis-k-demo.json', import.meta.url));

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('load the ISIS-K demo scenario (fictional indicators, public incidents) into a data dir')
    .option('--data <dir>', 'data directory (default ./tearline-data or $TEARLINE_DATA)')
    .action(async (opts: { data?: string }) => {
      if (!existsSync(DEMO_BUNDLE))
        throw new CliError(`the demo data is missing from this installation (${DEMO_BUNDLE})`);
      const hub = openHub(opts.data);
      try {
        const summary = await importStream(createReadStream(DEMO_BUNDLE), hub.objects, {
          source: `demo:${join('demo', 'isis-k-demo.json')}`,
          maxObjectBytes: hub.config.max_object_bytes,
        });
        hub.checkpointIfDue();
        process.stdout.write(`${formatSummary(summary)}\n`);
        if (summary.rejected > 0) throw new CliError('the demo data did not import cleanly');
        // The console's part of the scenario: partners, agreements, users, one pipeline run.
        process.stdout.write(formatConsoleScenario(await loadConsoleScenario(hub)));
      } finally {
        hub.close();
      }
    });
}
