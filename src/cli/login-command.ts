import type { Command } from 'commander';
import { HubAuth } from '../app/auth-sign-in.js';
import { openHubAt } from '../app/hub-open.js';
import { API_KEY_ENV, currentActor } from './cli-actor.js';
import { DATA_OPTION } from './cli-arguments.js';
import { CliError, deniedError, EXIT_DENIED } from './cli-error.js';
import { JSON_OPTION, printJson } from './cli-output.js';
import { promptHidden, readStdinLines } from './cli-prompt.js';
import {
  hubKeyOf,
  osAccount,
  readSessionFile,
  removeSessionFile,
  sessionFilePath,
  writeSessionFile,
} from './cli-session-file.js';

/** A CLI session lasts a working day; `logout`, a new password or `user disable` end it sooner. */
export const CLI_SESSION_MS = 8 * 3_600_000;

interface HubOptions {
  data?: string;
  db?: string;
}

const pathFor = (dir: string, opts: HubOptions) =>
  sessionFilePath(hubKeyOf(dir, opts.db ?? process.env.TEARLINE_DB));

export function registerLogin(program: Command): void {
  program
    .command('login')
    .description('sign in as a hub user: a session for this OS user only, ended by logout')
    .argument('<name>', 'your user name')
    .option('--password-stdin', 'read the password (and a TOTP code on the second line) from standard input')
    .option('--totp <code>', 'the 6-digit code of your authenticator, if you enrolled one')
    .option(...DATA_OPTION)
    .option('--json', 'print the session as JSON')
    .action(
      async (name: string, opts: HubOptions & { passwordStdin?: boolean; totp?: string; json?: boolean }) => {
        let password: string;
        let totp = opts.totp;
        if (opts.passwordStdin) {
          const lines = await readStdinLines('--password-stdin');
          password = lines[0] as string;
          if (totp === undefined && lines[1]) totp = lines[1].trim();
        } else {
          password = await promptHidden(`Password for ${name}: `);
          if (totp === undefined)
            totp = (await promptHidden('TOTP code (Enter if you have none): ')).trim() || undefined;
        }
        const hub = await openHubAt(opts);
        try {
          const me = osAccount();
          const auth = new HubAuth(hub);
          const r = await auth.signIn('cli', { name, password, totp }, { osAccount: me });
          if (!r.ok) throw new CliError(r.message, EXIT_DENIED);
          const path = pathFor(hub.paths.dir, opts);
          const now = hub.clock.now();
          // A new sign-in replaces this OS user's session on this hub: one identity per shell.
          const old = readSessionFile(path);
          if (old) await hub.state.sessions.delete(old.session);
          await hub.state.sessions.deleteExpired(now);
          const { id, session } = await hub.state.sessions.create(r.user.name, now, CLI_SESSION_MS, {
            kind: 'cli',
            auth: r.auth,
            origin: me,
          });
          writeSessionFile(path, {
            hub: hub.paths.dir,
            user: r.user.name,
            session: id,
            expires_at: session.expiresAt,
          });
          if (opts.json)
            printJson({ user: r.user.name, role: r.user.role, auth: r.auth, expires_at: session.expiresAt });
          else
            process.stdout.write(
              `signed in as ${r.user.name} (${r.user.role}) until ${session.expiresAt}; session file ${path}\n`,
            );
        } finally {
          await hub.close();
        }
      },
    );

  program
    .command('logout')
    .description("end this OS user's session on the hub")
    .option(...DATA_OPTION)
    .action(async (opts: HubOptions) => {
      const hub = await openHubAt(opts);
      try {
        const path = pathFor(hub.paths.dir, opts);
        const file = readSessionFile(path);
        if (file) await hub.state.sessions.delete(file.session);
        removeSessionFile(path);
        process.stdout.write(file ? `signed out ${file.user}\n` : 'not signed in (nothing to do)\n');
      } finally {
        await hub.close();
      }
    });

  program
    .command('whoami')
    .description(`who the CLI acts as: the session of this OS user, or ${API_KEY_ENV}`)
    .option(...DATA_OPTION)
    .option(...JSON_OPTION)
    .action(async (opts: HubOptions & { json?: boolean }) => {
      const hub = await openHubAt(opts);
      try {
        const a = await currentActor(hub, opts).catch((e: unknown) => {
          throw e instanceof CliError ? e : deniedError(String(e));
        });
        if (opts.json) printJson(a);
        else
          process.stdout.write(
            `${a.name} (${a.role}${a.scope !== a.role ? `, key scoped to ${a.scope}` : ''}) by ${a.auth}\n`,
          );
      } finally {
        await hub.close();
      }
    });
}
