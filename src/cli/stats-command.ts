import type { Command } from 'commander';
import { openHubAt } from '../app/hub-open.js';
import { DATA_OPTION } from './cli-arguments.js';
import { requireActorOrClose } from './cli-hub.js';
import { JSON_OPTION } from './cli-output.js';

export function registerStats(program: Command): void {
  program
    .command('stats')
    .description('counts by type, versions and quarantine size')
    .option(...DATA_OPTION)
    .option('--db <url>', 'postgres://… (default: the data dir, or $TEARLINE_DB)')
    .option(...JSON_OPTION)
    .action(async (opts: { data?: string; db?: string; json?: boolean }) => {
      const hub = await openHubAt({ ...opts, readOnly: true });
      await requireActorOrClose(hub, opts, 'read');
      try {
        const s = await hub.objects.stats();
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(s)}\n`);
          return;
        }
        const types = Object.entries(s.byType).sort(([a], [b]) => a.localeCompare(b));
        const width = Math.max(4, ...types.map(([t]) => t.length));
        process.stdout.write(`${'type'.padEnd(width)}  objects  versions\n`);
        for (const [type, c] of types) {
          process.stdout.write(
            `${type.padEnd(width)}  ${String(c.objects).padStart(7)}  ${String(c.versions).padStart(8)}\n`,
          );
        }
        process.stdout.write(
          `${'total'.padEnd(width)}  ${String(s.objects).padStart(7)}  ${String(s.versions).padStart(8)}\n`,
        );
        process.stdout.write(`quarantined: ${s.quarantined}\n`);
      } finally {
        await hub.close();
      }
    });
}
