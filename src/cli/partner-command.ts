import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import type { HubState } from '../app/hub-state.js';
import type { Partner } from '../store/hub/partner-store.js';
import type { Actor } from './cli-actor.js';
import { DATA_OPTION, type DataOption, requireReason } from './cli-arguments.js';
import { CliError, usageError } from './cli-error.js';
import { partnerReadCommand, READ_ONLY, requirePartner, withHubState } from './cli-hub.js';
import { JSON_OPTION, printJson } from './cli-output.js';

const changeContext = (actor: Actor) => ({
  actor: actor.name,
  now: new Date(),
  randomBytes: (n: number) => randomBytes(n),
});

async function describePartner(state: HubState, p: Partner) {
  const agreement = await state.agreements.latest(p.id);
  return {
    id: p.id,
    name: p.name,
    enabled: p.enabled,
    agreement_version: agreement?.version ?? null,
    created_at: p.created_at,
    updated_at: p.updated_at,
  };
}

export function registerPartner(program: Command): void {
  const partner = program
    .command('partner')
    .description('partners: their STIX identity, credentials and status');

  partner
    .command('add')
    .description(
      'create a partner identity and a bearer token (printed once, stored only as an argon2id hash)',
    )
    .requiredOption('--name <name>', 'the partner name; partners are addressed by name or id')
    .option('--country <cc>', 'ISO 3166-1 alpha-2 country code')
    .option('--description <text>', 'free text kept on the identity')
    .option(...DATA_OPTION)
    .option('--json', 'print {id, name, token} as JSON')
    .action(
      async (opts: DataOption & { name: string; country?: string; description?: string; json?: boolean }) => {
        if (opts.description !== undefined && opts.description.length > 2000) {
          throw usageError('--description must be at most 2000 characters');
        }
        await withHubState(opts, 'partner.manage', async (state, actor) => {
          const r = await state.partners.add(
            {
              name: opts.name,
              ...(opts.country !== undefined && { country: opts.country }),
              ...(opts.description !== undefined && { description: opts.description }),
            },
            changeContext(actor),
          );
          if (!r.ok) throw r.code === 'partner-exists' ? new CliError(r.message) : usageError(r.message);
          if (opts.json) printJson({ id: r.partner.id, name: r.partner.name, token: r.token });
          else {
            process.stdout.write(
              `added partner ${r.partner.name} (${r.partner.id})\ntoken (shown once; give it to the partner now): ${r.token}\n`,
            );
          }
        });
      },
    );

  partner
    .command('list')
    .description('list partners')
    .option(...DATA_OPTION)
    .option(...JSON_OPTION)
    .action((opts: DataOption & { json?: boolean }) =>
      withHubState(
        opts,
        'read',
        async (state) => {
          const rows = [];
          for (const p of await state.partners.list()) rows.push(await describePartner(state, p));
          if (opts.json) return printJson(rows);
          if (rows.length === 0)
            return void process.stdout.write(
              'no partners (add one with: tearline partner add --name NAME)\n',
            );
          for (const r of rows) {
            process.stdout.write(
              `${r.name}\t${r.id}\t${r.enabled ? 'enabled' : 'DISABLED'}\tagreement ${r.agreement_version === null ? 'none' : `v${r.agreement_version}`}\n`,
            );
          }
        },
        READ_ONLY,
      ),
    );

  partnerReadCommand(
    partner,
    'show',
    'show a partner: identity, status, agreement version and history',
    async (state, p, opts) => {
      const out = {
        ...(await describePartner(state, p)),
        identity: p.identity,
        history: await state.partners.events(p.id),
      };
      if (opts.json) return printJson(out);
      process.stdout.write(
        `${out.name} (${out.id})\nstatus: ${out.enabled ? 'enabled' : 'disabled'}\nagreement: ${out.agreement_version === null ? 'none' : `v${out.agreement_version}`}\n`,
      );
      for (const e of out.history) process.stdout.write(`  ${e.at}  ${e.action}  by ${e.actor}\n`);
    },
  );

  partner
    .command('rotate-token <partner>')
    .description('issue a new token (printed once); the old one stops working at once')
    .requiredOption('--reason <text>', 'why (kept in the partner history)')
    .option(...DATA_OPTION)
    .option('--json', 'print {id, name, token} as JSON')
    .action(async (nameOrId: string, opts: DataOption & { reason: string; json?: boolean }) => {
      await withHubState(opts, 'partner.manage', async (state, actor) => {
        const reason = requireReason(opts.reason, 'rotate the token');
        const r = await state.partners.rotateToken(
          (await requirePartner(state, nameOrId)).id,
          changeContext(actor),
          reason,
        );
        if (!r.ok) throw new CliError(r.message);
        if (opts.json) printJson({ id: r.partner.id, name: r.partner.name, token: r.token });
        else process.stdout.write(`new token for ${r.partner.name} (shown once): ${r.token}\n`);
      });
    });

  for (const [name, enabled] of [
    ['disable', false],
    ['enable', true],
  ] as const) {
    partner
      .command(`${name} <partner>`)
      .description(
        enabled
          ? 'allow releases to the partner again'
          : 'stop all releases to the partner and refuse its token',
      )
      .requiredOption('--reason <text>', 'why (kept in the partner history)')
      .option(...DATA_OPTION)
      .option(...JSON_OPTION)
      .action((nameOrId: string, opts: DataOption & { reason: string; json?: boolean }) =>
        withHubState(opts, 'partner.manage', async (state, actor) => {
          const reason = requireReason(opts.reason, `${name} the partner`);
          const p = await requirePartner(state, nameOrId);
          await state.partners.setEnabled(p.id, enabled, reason, {
            actor: actor.name,
            now: new Date(),
          });
          if (opts.json) printJson({ id: p.id, name: p.name, enabled });
          else process.stdout.write(`${p.name} is now ${enabled ? 'enabled' : 'disabled'}\n`);
        }),
      );
  }
}
