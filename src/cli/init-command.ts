import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { initDataDir, resolveDataDir } from '../app/data-dir.js';
import { openHubAt } from '../app/hub-open.js';
import { ensureLedgerKey, ledgerKeyPath } from '../app/ledger-key.js';
import { openSqlite } from '../store/sqlite/database.js';
import { DATA_OPTION } from './cli-arguments.js';
import { CliError, usageError } from './cli-error.js';
import { JSON_OPTION } from './cli-output.js';
import { readNewPassword } from './cli-prompt.js';

/** Recorded as the actor of the first admin's creation: nobody is signed in yet. */
export const SETUP_ACTOR = 'setup';

export function registerInit(program: Command): void {
  program
    .command('init')
    .description(
      'create a data dir (database, config, keys) and, on a hub with no users, its first admin; safe to run again, never overwrites',
    )
    .option(...DATA_OPTION)
    .option('--admin <name>', 'name of the first admin, when the hub has no users yet', 'admin')
    .option('--password-stdin', "read the first admin's password from standard input")
    .option(...JSON_OPTION)
    .action(
      async (opts: {
        data?: string;
        db?: string;
        admin: string;
        passwordStdin?: boolean;
        json?: boolean;
      }) => {
        const dir = resolveDataDir(opts.data);
        const { paths, created } = initDataDir(dir);
        openSqlite(paths.database).close();
        if (ensureLedgerKey(paths).created) created.push(ledgerKeyPath(paths));
        const hub = await openHubAt(opts);
        let admin: { name: string; password?: string } | undefined;
        try {
          if ((await hub.state.users.count()) === 0) {
            // The first admin gets a password: typed, piped, or generated and shown once.
            const interactive = !opts.passwordStdin && process.stdin.isTTY === true;
            const generated =
              opts.passwordStdin || interactive ? undefined : randomBytes(18).toString('base64url');
            const password = generated ?? (await readNewPassword(opts.passwordStdin === true));
            const r = await hub.state.users.add(opts.admin, 'admin', password, {
              actor: SETUP_ACTOR,
              now: new Date(),
            });
            if (!r.ok) throw r.code === 'user-exists' ? new CliError(r.message) : usageError(r.message);
            admin = { name: opts.admin, ...(generated && { password: generated }) };
          }
        } finally {
          await hub.close();
        }
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ data: dir, created, ...(admin && { admin }) })}\n`);
          return;
        }
        process.stdout.write(
          created.length > 0 || admin
            ? `initialised ${dir}\n`
            : `${dir} is already initialised (nothing changed)\n`,
        );
        if (admin) {
          process.stdout.write(`first admin: ${admin.name}\n`);
          if (admin.password)
            process.stdout.write(
              `password (shown once; change it after signing in with: tearline login ${admin.name}; tearline user passwd): ${admin.password}\n`,
            );
        }
      },
    );
}
