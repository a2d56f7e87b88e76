import type { Command } from 'commander';
import { initDataDir, resolveDataDir } from '../app/data-dir.js';
import { ensureLedgerKey, ledgerKeyPath } from '../app/ledger-key.js';
import { openSqlite } from '../store/sqlite/database.js';

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('create a data dir (database, config, keys); safe to run again, never overwrites')
    .option('--data <dir>', 'data directory (default ./tearline-data or $TEARLINE_DATA)')
    .option('--json', 'print the result as JSON')
    .action((opts: { data?: string; json?: boolean }) => {
      const dir = resolveDataDir(opts.data);
      const { paths, created } = initDataDir(dir);
      openSqlite(paths.database).close();
      if (ensureLedgerKey(paths).created) created.push(ledgerKeyPath(paths));
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ data: dir, created })}\n`);
      } else {
        process.stdout.write(
          created.length > 0 ? `initialised ${dir}\n` : `${dir} is already initialised (nothing changed)\n`,
        );
      }
    });
}
