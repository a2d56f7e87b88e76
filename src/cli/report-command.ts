import type { Command } from 'commander';
import { buildDisclosureReport } from '../app/hub-disclosures.js';
import { openHubAt } from '../app/hub-open.js';
import { requireHubPolicy } from '../app/hub-policy-watch.js';
import { formatDisclosuresCsv, formatDisclosuresHtml } from '../release/release-report.js';
import { CliError, usageError } from './cli-error.js';
import { requireActorOrClose } from './cli-hub.js';
import { parseTimeOption } from './partner-command.js';

function parseDay(value: string, option: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value))) return `${value}T00:00:00.000Z`;
  return (parseTimeOption(value, option) as Date).toISOString();
}

export function registerReport(program: Command): void {
  const report = program.command('report').description('reports for officers and overseers');
  report
    .command('disclosures')
    .description(
      'every release and recall to a partner in a period, with receipts, and what the hub withholds by reason ' +
        'as of the end of the period (or now), decided as explain, decide and release run decide',
    )
    .requiredOption('--partner <partner>', 'partner name or id')
    .requiredOption('--from <date>', 'start (a date or an RFC 3339 timestamp), inclusive')
    .requiredOption('--to <date>', 'end (a date or an RFC 3339 timestamp), exclusive')
    .option('--format <format>', 'csv, json or html', 'csv')
    .option('--data <dir>', 'data directory')
    .action(async (opts: { partner: string; from: string; to: string; format: string; data?: string }) => {
      if (!['csv', 'json', 'html'].includes(opts.format))
        throw usageError(`--format '${opts.format}' must be csv, json or html`);
      const from = parseDay(opts.from, '--from');
      const to = parseDay(opts.to, '--to');
      if (from >= to) throw usageError(`--from ${opts.from} must be before --to ${opts.to}`);
      const hub = await openHubAt({ ...opts, readOnly: true });
      await requireActorOrClose(hub, opts, 'read');
      try {
        const partner = await hub.state.partners.get(opts.partner);
        if (!partner) throw new CliError(`no partner named or with id "${opts.partner}"`);
        const doc = await buildDisclosureReport(
          hub,
          requireHubPolicy(hub.paths.dir),
          partner,
          from,
          to,
          new Date(),
        );
        if (opts.format === 'json') process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
        else if (opts.format === 'html') process.stdout.write(formatDisclosuresHtml(doc));
        else process.stdout.write(formatDisclosuresCsv(doc));
      } finally {
        await hub.close();
      }
    });
}
