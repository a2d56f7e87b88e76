import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { dataDirPaths } from '../app/data-dir.js';
import { openPg } from '../store/postgres/pg-database.js';
import { copyHubToPg } from '../store/postgres/pg-hub-copy.js';
import { isPgUrl } from '../store/postgres/pg-url.js';
import { openSqlite } from '../store/sqlite/database.js';
import { CliError, usageError } from './cli-error.js';
import { JSON_OPTION } from './cli-output.js';

/** sqlite://PATH names a hub database file or a data directory; it must exist. */
function resolveSqliteSource(from: string): string {
  if (!from.startsWith('sqlite://')) throw usageError(`--from: '${from}' must be sqlite://PATH`);
  const path = from.slice('sqlite://'.length);
  if (path === '' || !existsSync(path))
    throw new CliError(`--from: ${path || '(empty path)'}: no such file or directory`);
  const file = statSync(path).isDirectory() ? dataDirPaths(path).database : path;
  if (!existsSync(file))
    throw new CliError(`--from: ${file}: no hub database there (run 'tearline init' first?)`);
  return file;
}

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('copy a hub from SQLite into an empty PostgreSQL database and verify its ledger there')
    .requiredOption('--from <url>', 'sqlite://PATH (the hub database file or its data directory)')
    .requiredOption('--to <url>', 'postgres://user:pass@host:5432/db (?schema=NAME for a schema of its own)')
    .option(...JSON_OPTION)
    .action(async (opts: { from: string; to: string; json?: boolean }) => {
      if (!isPgUrl(opts.to)) throw usageError(`--to: must be a postgres:// URL`);
      const file = resolveSqliteSource(opts.from);
      const opened = await openPg(opts.to);
      if (!opened.ok) throw new CliError(`--to: ${opened.error.message}`);
      const source = openSqlite(file);
      try {
        const res = await copyHubToPg(source, opened.pool);
        if (!res.ok) throw new CliError(`migrate: ${res.error.message}`);
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(res)}\n`);
          return;
        }
        for (const [table, n] of Object.entries(res.rows)) process.stdout.write(`${table}: ${n} rows\n`);
        process.stdout.write(`ledger verified on arrival: ${res.ledgerSize} entries\n`);
      } finally {
        source.close();
        await opened.pool.end();
      }
    });
}
