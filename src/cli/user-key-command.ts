import type { Command } from 'commander';
import { newTotpSecret, sealTotpSecret, totpKeyOf, totpStepOf, totpUri } from '../access/access-totp.js';
import { readHubSecret } from '../app/data-dir.js';
import type { Actor } from './cli-actor.js';
import { DATA_OPTION } from './cli-arguments.js';
import { CliError, deniedError, usageError } from './cli-error.js';
import { withHubAs } from './cli-hub.js';
import { JSON_OPTION, printJson } from './cli-output.js';

/** Keys and second factors are made by their owner, signed in with a password: never by a key. */
function requireSession(actor: Actor, what: string): void {
  if (actor.auth === 'key') throw deniedError(`${what} needs a session (tearline login), not an API key`);
}

const isAdmin = (a: Actor) => a.role === 'admin' && a.scope === 'admin';

export function registerUserKeys(user: Command): void {
  const key = user
    .command('key')
    .description('your API keys for scripts (TEARLINE_API_KEY=…, or Bearer on /api/)');

  key
    .command('create')
    .description('create an API key for yourself; the key is printed once and stored only as a hash')
    .requiredOption('--label <text>', 'what the key is for, e.g. "nightly import"')
    .option('--role <role>', 'your own role (default) or oversight (read only)')
    .option('--expires-days <n>', 'the key stops working after this many days')
    .option(...DATA_OPTION)
    .option('--json', 'print {key_id, key} as JSON')
    .action(
      async (opts: { label: string; role?: string; expiresDays?: string; data?: string; json?: boolean }) => {
        if (opts.expiresDays !== undefined && !/^[1-9]\d{0,3}$/.test(opts.expiresDays))
          throw usageError('--expires-days must be a whole number of days from 1 to 9999');
        const r = await withHubAs(opts, 'self.manage', async (hub, actor) => {
          requireSession(actor, 'creating an API key');
          const now = new Date();
          return hub.state.apiKeys.create(
            actor.name,
            actor.role,
            {
              label: opts.label,
              ...(opts.role !== undefined && { role: opts.role }),
              ...(opts.expiresDays !== undefined && {
                expiresAt: new Date(now.getTime() + Number(opts.expiresDays) * 86_400_000),
              }),
            },
            { actor: actor.name, now },
          );
        });
        if (!r.ok) throw usageError(r.message);
        if (opts.json) printJson({ key_id: r.key.key_id, role: r.key.role, key: r.secret });
        else
          process.stdout.write(
            `API key ${r.key.key_id} for ${r.key.user_name} (${r.key.role})\nkey (shown once; export TEARLINE_API_KEY=…): ${r.secret}\n`,
          );
      },
    );

  key
    .command('list')
    .description("your API keys (admins: --all for everyone's); never the secrets")
    .option('--all', "every user's keys (admins)")
    .option(...DATA_OPTION)
    .option(...JSON_OPTION)
    .action(async (opts: { all?: boolean; data?: string; json?: boolean }) => {
      const keys = await withHubAs(opts, 'self.manage', async (hub, actor) => {
        if (opts.all && !isAdmin(actor))
          throw deniedError(`${actor.name} (${actor.role}) may list only their own keys`);
        return hub.state.apiKeys.list(opts.all ? undefined : actor.name);
      });
      if (opts.json) return printJson(keys);
      for (const k of keys)
        process.stdout.write(
          `${k.key_id}  ${k.user_name}  ${k.role}  "${k.label}"  created ${k.created_at}${k.expires_at ? `  expires ${k.expires_at}` : ''}${k.revoked_at ? `  REVOKED ${k.revoked_at} by ${k.revoked_by}` : ''}\n`,
        );
    });

  key
    .command('revoke')
    .description('revoke an API key (yours, or any as an admin): it stops working at once')
    .argument('<key-id>', 'the key id (see: tearline user key list)')
    .option(...DATA_OPTION)
    .action(async (id: string, opts: { data?: string }) => {
      await withHubAs(opts, 'self.manage', async (hub, actor) => {
        const k = await hub.state.apiKeys.get(id);
        if (!k || (k.user_name !== actor.name && !isAdmin(actor)))
          throw new CliError(`no API key ${id} of yours (see: tearline user key list)`);
        const r = await hub.state.apiKeys.revoke(id, { actor: actor.name, now: new Date() });
        if (!r.ok) throw new CliError(r.message);
        process.stdout.write(`revoked API key ${id} of ${k.user_name}\n`);
      });
    });

  const totp = user
    .command('totp')
    .description('a second factor at sign-in (RFC 6238 codes from an authenticator app)');
  totp
    .command('new')
    .description(
      'print a fresh secret and its otpauth:// URI to add to your authenticator (nothing is stored yet)',
    )
    .action(() => {
      const secret = newTotpSecret();
      process.stdout.write(
        `secret: ${secret}\nuri: ${totpUri(secret, 'tearline', 'Tearline')}\nthen: tearline user totp enable --secret ${secret} --code CODE\n`,
      );
    });
  totp
    .command('enable')
    .description(
      'require a code at every sign-in, once a code from the new secret checks out; your sessions end',
    )
    .requiredOption('--secret <base32>', 'the secret from: tearline user totp new')
    .requiredOption('--code <digits>', 'the current code your authenticator shows for it')
    .option(...DATA_OPTION)
    .action(async (opts: { secret: string; code: string; data?: string }) => {
      if (!/^[A-Z2-7]{16,64}$/.test(opts.secret)) throw usageError('--secret must be base32 (A-Z, 2-7)');
      const step = totpStepOf(opts.secret, opts.code, Date.now());
      if (step === undefined)
        throw usageError('--code does not match the secret now: check the clock and try again');
      await withHubAs(opts, 'self.manage', async (hub, actor) => {
        requireSession(actor, 'enrolling a second factor');
        const sealed = sealTotpSecret(totpKeyOf(readHubSecret(hub.paths.hubSecret)), opts.secret);
        const r = await hub.state.users.setSecondFactor(actor.name, sealed, step, {
          actor: actor.name,
          now: new Date(),
        });
        if (!r.ok) throw new CliError(r.message);
      });
      process.stdout.write('second factor enabled: sign in again with your password and a code\n');
    });
  totp
    .command('disable')
    .description(
      "stop requiring a code: yours, or another user's as an admin (a lost phone); their sessions end",
    )
    .argument('[name]', 'whose (default: yours)')
    .option(...DATA_OPTION)
    .action(async (name: string | undefined, opts: { data?: string }) => {
      await withHubAs(opts, 'self.manage', async (hub, actor) => {
        const target = name ?? actor.name;
        if (target !== actor.name && !isAdmin(actor))
          throw deniedError(`${actor.name} (${actor.role}) may only change their own second factor`);
        requireSession(actor, 'removing a second factor');
        const r = await hub.state.users.setSecondFactor(target, null, null, {
          actor: actor.name,
          now: new Date(),
        });
        if (!r.ok) throw new CliError(r.message);
        process.stdout.write(`second factor removed for ${target}\n`);
      });
    });
}
