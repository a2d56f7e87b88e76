import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import type { User, UserResult } from '../store/hub/user-store.js';
import { CliError, usageError } from './cli-error.js';
import { LOCAL_ACTOR, printJson, READ_ONLY, withHubState } from './partner-command.js';

/** Reads a password from standard input: the first line, without its line ending. */
async function readPasswordFromStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    if (size > 4096) throw usageError('--password-stdin: the input is longer than 4096 bytes');
  }
  const line = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  if (line === '') throw usageError('--password-stdin: standard input is empty');
  return line;
}

function unwrap<T>(result: UserResult<T>): T {
  if (!result.ok)
    throw result.code === 'user-not-found' ? new CliError(result.message) : usageError(result.message);
  return result;
}

const context = () => ({ actor: LOCAL_ACTOR, now: new Date() });

function show(user: User): string {
  return `${user.name}  ${user.role}${user.enabled ? '' : '  (disabled)'}`;
}

export function registerUser(program: Command): void {
  const user = program
    .command('user')
    .description('hub users: analysts, release officers, oversight, admins');

  user
    .command('add')
    .description('add a user; without --password-stdin a random password is printed once')
    .argument('<name>', 'user name (lower case)')
    .requiredOption('--role <role>', 'analyst | release-officer | oversight | admin')
    .option('--password-stdin', 'read the password from standard input')
    .option('--data <dir>', 'data directory')
    .option('--json', 'print as JSON')
    .action(
      async (
        name: string,
        opts: { role: string; passwordStdin?: boolean; data?: string; json?: boolean },
      ) => {
        const generated = opts.passwordStdin ? undefined : randomBytes(18).toString('base64url');
        const password = generated ?? (await readPasswordFromStdin());
        const { user: u } = unwrap(
          await withHubState(opts, (state) => state.users.add(name, opts.role, password, context())),
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
    .option('--data <dir>', 'data directory')
    .option('--json', 'print as JSON')
    .action(async (opts: { data?: string; json?: boolean }) => {
      const users = await withHubState(opts, (state) => state.users.list(), READ_ONLY);
      if (opts.json) printJson(users);
      else for (const u of users) process.stdout.write(`${show(u)}\n`);
    });

  for (const [verb, enabled] of [
    ['disable', false],
    ['enable', true],
  ] as const) {
    user
      .command(verb)
      .description(`${verb} a user`)
      .argument('<name>', 'user name')
      .option('--data <dir>', 'data directory')
      .action(async (name: string, opts: { data?: string }) => {
        const { user: u } = unwrap(
          await withHubState(opts, (state) => state.users.setEnabled(name, enabled, context())),
        );
        process.stdout.write(`${verb}d user ${show(u)}\n`);
      });
  }

  user
    .command('passwd')
    .description("set a user's password; without --password-stdin a random one is printed once")
    .argument('<name>', 'user name')
    .option('--password-stdin', 'read the password from standard input')
    .option('--data <dir>', 'data directory')
    .action(async (name: string, opts: { passwordStdin?: boolean; data?: string }) => {
      const generated = opts.passwordStdin ? undefined : randomBytes(18).toString('base64url');
      const password = generated ?? (await readPasswordFromStdin());
      unwrap(await withHubState(opts, (state) => state.users.setPassword(name, password, context())));
      process.stdout.write(`password changed for ${name}\n`);
      if (generated) process.stdout.write(`password (shown once): ${generated}\n`);
    });
}
