import type { Command } from 'commander';
import { deriveFacts } from '../policy/condition-replay.js';
import { DATA_OPTION, type DataOption, requireReason } from './cli-arguments.js';
import { CliError } from './cli-error.js';
import { partnerReadCommand, requirePartner, withHubState } from './cli-hub.js';
import { JSON_OPTION, printJson } from './cli-output.js';

export function registerBreach(program: Command): void {
  const breach = program
    .command('breach')
    .description('breach reports: while one is open, nothing is released');

  breach
    .command('open <partner>')
    .description('open a breach report against a partner')
    .requiredOption('--reason <text>', 'what happened')
    .option(...DATA_OPTION)
    .option(...JSON_OPTION)
    .action((nameOrId: string, opts: DataOption & { reason: string; json?: boolean }) =>
      withHubState(opts, 'breach.manage', async (state, actor) => {
        const reason = requireReason(opts.reason, 'open a breach report');
        const p = await requirePartner(state, nameOrId);
        const id = await state.conditions.openBreach(p.id, reason, {
          actor: actor.name,
          now: new Date(),
        });
        if (opts.json) printJson({ partner: p.name, breach: id, open: true });
        else process.stdout.write(`opened breach ${id} against ${p.name}\n`);
      }),
    );

  breach
    .command('close <partner> <breach-id>')
    .description('close an open breach report')
    .requiredOption('--reason <text>', 'how it was resolved')
    .option(...DATA_OPTION)
    .option(...JSON_OPTION)
    .action((nameOrId: string, id: string, opts: DataOption & { reason: string; json?: boolean }) =>
      withHubState(opts, 'breach.manage', async (state, actor) => {
        const reason = requireReason(opts.reason, 'close the breach report');
        const p = await requirePartner(state, nameOrId);
        const events = state.conditions;
        if (!(await events.closeBreach(p.id, id, reason, { actor: actor.name, now: new Date() }))) {
          const open = deriveFacts(await events.list(p.id)).openBreaches?.map((b) => b.id) ?? [];
          throw new CliError(`${p.name} has no open breach ${id} (open: ${open.join(', ') || 'none'})`);
        }
        if (opts.json) printJson({ partner: p.name, breach: id, open: false });
        else process.stdout.write(`closed breach ${id} against ${p.name}\n`);
      }),
    );

  partnerReadCommand(breach, 'list', 'open breach reports', async (state, p, opts) => {
    const open = deriveFacts(await state.conditions.list(p.id)).openBreaches ?? [];
    if (opts.json) return printJson({ partner: p.name, open });
    if (open.length === 0) return void process.stdout.write(`no open breach against ${p.name}\n`);
    for (const b of open) process.stdout.write(`${b.id}  opened ${b.opened_at}: ${b.reason}\n`);
  });
}
