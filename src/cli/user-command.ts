import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import type { User, UserResult } from '../store/hub/user-store.js';
import { DATA_OPTION, requireReason } from './cli-arguments.js';
import { CliError, deniedError, usageError } from './cli-error.js';
import { withHubAs } from './cli-hub.js';
import { JSON_OPTION, printJson } from './cli-output.js';
import { promptHidden, readNewPassword, readStdinLines } from './cli-prompt.js';
import { registerUserKeys } from './user-key-command.js';

function unwrap<T>(result: UserResult<T>): T {
  if (!result.ok)
    throw result.code === 'user-not-found' ? new CliError(result.message) : usageError(result.message);
  return result;
}

function show(user: User): string {
  return `${user.name}  ${user.role}${user.enabled ? '' : '  (disabled)'}${user.totp ? '  (totp)' : ''}`;
}

export function registerUser(program: Command): void {
  const user = program
    .command('user')
    .description('hub users: analysts, release officers, oversight, admins; keys, second factor, lockouts');

  user
    .command('add')
    .description('add a user (admins); without --password-stdin a random password is printed once')
    .argument('<name>', 'user name (lower case)')
    .requiredOption('--role <role>', 'analyst | release-officer | oversight | admin')
    .option('--password-stdin', 'read the password from standard input')
    .option(...DATA_OPTION)
    .option(...JSON_OPTION)
    .action(
      async (
        name: string,
        opts: { role: string; passwordStdin?: boolean; data?: string; json?: boolean },
      ) => {
        const generated = opts.passwordStdin ? undefined : randomBytes(18).toString('base64url');
        const password = generated ?? ((await readStdinLines('--password-stdin'))[0] as string);
        const { user: u } = unwrap(
          await withHubAs(opts, 'user.manage', (hub, actor) =>
            hub.state.users.add(name, opts.role, password, { actor: actor.name, now: new Date() }),
          ),
        );
        if (opts.json)
          printJson({ name: u.name, role: u.role, ...(generated ? { password: generated } : {}) });
        else {
          process.stdout.write(`added user ${show(u)}\n`);
          if (generated) process.stdout.write(`password (shown once): ${generated}\n`);
        }
      },
    );

  user
    .command('list')
    .description('list users and their roles')
    .option(...DATA_OPTION)
    .option(...JSON_OPTION)
    .action(async (opts: { data?: string; json?: boolean }) => {
      const users = await withHubAs({ ...opts, readOnly: true }, 'read', (hub) => hub.state.users.list());
      if (opts.json) printJson(users);
      else for (const u of users) process.stdout.write(`${show(u)}\n`);
    });

  for (const [verb, enabled] of [
    ['disable', false],
    ['enable', true],
  ] as const) {
    user
      .command(verb)
      .description(
        enabled ? 'enable a user (admins)' : 'disable a user (admins): every session and key stops at once',
      )
      .argument('<name>', 'user name')
      .requiredOption('--reason <text>', "why (kept in the user's history and the ledger)")
      .option(...DATA_OPTION)
      .action(async (name: string, opts: { data?: string; reason: string }) => {
        const reason = requireReason(opts.reason, `${verb} the user`);
        const { user: u } = unwrap(
          await withHubAs(opts, 'user.manage', async (hub, actor) => {
            if (!enabled && actor.name === name)
              throw usageError('you cannot disable yourself; ask another admin');
            return hub.state.users.setEnabled(name, enabled, { actor: actor.name, now: new Date(), reason });
          }),
        );
        process.stdout.write(`${verb}d user ${show(u)}\n`);
      });
  }

  user
    .command('passwd')
    .description(
      "change your password (asks for the current one), or as an admin set another user's; every session of the user ends",
    )
    .argument('[name]', 'whose password (default: yours)')
    .option(
      '--password-stdin',
      'read the passwords from standard input: current then new (yours), or new (another user)',
    )
    .option(...DATA_OPTION)
    .action(async (name: string | undefined, opts: { passwordStdin?: boolean; data?: string }) => {
      const lines = opts.passwordStdin ? await readStdinLines('--password-stdin') : undefined;
      const result = await withHubAs(opts, 'self.manage', async (hub, actor) => {
        const target = name ?? actor.name;
        const ctx = { actor: actor.name, now: new Date() };
        if (target !== actor.name) {
          if (actor.role !== 'admin' || actor.scope !== 'admin')
            throw deniedError(`${actor.name} (${actor.role}) may only change their own password`);
          const generated = lines ? undefined : randomBytes(18).toString('base64url');
          const r = unwrap(
            await hub.state.users.setPassword(target, lines?.[0] ?? (generated as string), ctx),
          );
          return { user: r.user, generated };
        }
        const current = lines ? (lines[0] as string) : await promptHidden('Current password: ');
        if (!(await hub.state.users.authenticate(actor.name, current)))
          throw deniedError('the current password is wrong');
        const next = lines ? lines[1] : await readNewPassword(false);
        if (!next)
          throw usageError('--password-stdin: give the current password, then the new one, one per line');
        return {
          user: unwrap(await hub.state.users.setPassword(target, next, ctx)).user,
          generated: undefined,
        };
      });
      process.stdout.write(`password changed for ${result.user.name}; their sessions have ended\n`);
      if (result.generated) process.stdout.write(`password (shown once): ${result.generated}\n`);
    });

  user
    .command('unlock')
    .description('lift a sign-in lockout (admins): of an account name, or of a client address with --address')
    .argument('[name]', 'the account name that was locked')
    .option('--address <key>', 'an address lock, as `user locks` lists it (addr:… or os:…)')
    .option(...DATA_OPTION)
    .action(async (name: string | undefined, opts: { address?: string; data?: string }) => {
      if ((name === undefined) === (opts.address === undefined))
        throw usageError('give an account NAME or --address KEY (see: tearline user locks)');
      await withHubAs(opts, 'user.manage', async (hub, actor) => {
        const now = new Date();
        const { throttle } = hub.state;
        // An account's locks are one per source it was guessed from, and one across them all.
        const keys = name !== undefined ? await throttle.unlockAccount(name) : [];
        const key = name !== undefined ? keys.join(', ') || `acct:${name}` : (opts.address as string);
        const lifted = name !== undefined ? keys.length > 0 : await throttle.unlock(key);
        await hub.state.authEvents.record({
          at: now,
          surface: 'cli',
          event: 'unlocked',
          account: name,
          address: opts.address,
          actor: actor.name,
          detail: { key, held: lifted },
        });
        if (name !== undefined && (await hub.state.users.get(name)))
          await hub.state.users.recordEvent(name, 'unlock', { actor: actor.name, now }, { key });
        const what = name !== undefined ? `${name}${lifted ? ` (${key})` : ''}` : key;
        process.stdout.write(lifted ? `unlocked ${what}\n` : `${what} was not locked (recorded anyway)\n`);
      });
    });

  user
    .command('locks')
    .description('accounts and addresses locked after failed sign-ins')
    .option(...DATA_OPTION)
    .option(...JSON_OPTION)
    .action(async (opts: { data?: string; json?: boolean }) => {
      const locks = await withHubAs(opts, 'user.manage', (hub) => hub.state.throttle.locks(Date.now()));
      if (opts.json) return printJson(locks);
      if (locks.length === 0) return void process.stdout.write('nothing is locked\n');
      for (const l of locks)
        process.stdout.write(
          `${l.key}  ${l.failures} failures  since ${l.locked_at}${l.locked_until ? ` until ${l.locked_until}` : ''}\n`,
        );
    });

  user
    .command('audit')
    .description('the sign-in audit log: failures, locks, refusals, unlocks, sign-ins (newest first)')
    .option('--account <name>', 'only this account name')
    .option('--limit <n>', 'at most this many events', '200')
    .option(...DATA_OPTION)
    .option(...JSON_OPTION)
    .action(async (opts: { account?: string; limit: string; data?: string; json?: boolean }) => {
      if (!/^\d{1,5}$/.test(opts.limit)) throw usageError('--limit must be a number from 1 to 10000');
      const events = await withHubAs(opts, 'ledger.audit', (hub) =>
        hub.state.authEvents.list({
          ...(opts.account && { account: opts.account }),
          limit: Number(opts.limit),
        }),
      );
      if (opts.json) return printJson(events);
      for (const e of events)
        process.stdout.write(
          `${e.at}  ${e.surface.padEnd(7)} ${e.event.padEnd(14)} ${e.account ?? '-'}  ${e.address ?? '-'}${e.actor ? `  by ${e.actor}` : ''}\n`,
        );
    });

  registerUserKeys(user);
}
