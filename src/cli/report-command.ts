import type { Command } from 'commander';
import { openHubAt } from '../app/hub-open.js';
import {
  type DisclosureReport,
  disclosureRows,
  formatDisclosuresCsv,
  formatDisclosuresHtml,
} from '../release/release-report.js';
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
      'every release and recall to a partner in a period, with receipts, and withheld counts by reason',
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
      const hub = await openHubAt(opts);
      await requireActorOrClose(hub, opts, 'read');
      try {
        const { partners, releases, sql } = hub.state;
        const partner = await partners.get(opts.partner);
        if (!partner) throw new CliError(`no partner named or with id "${opts.partner}"`);
        if ((await hub.ledgerService.size()) > 0) await hub.checkpointIfDue();
        const records = await releases.records(partner.id);
        const receipts = new Map<string, string>();
        for (const rec of records) {
          const r = await hub.ledgerService.receiptForPartner(rec.release_id, partner.id);
          receipts.set(rec.release_id, r.ok ? r.json : '');
        }
        const rows = disclosureRows(records, from, to, (id) => receipts.get(id) ?? '');
        const withheld: Record<string, number> = {};
        const outcomes = await sql.all<{ reasons: string }>(
          "SELECT reasons FROM release_outcomes WHERE partner_id = ? AND outcome = 'withheld' AND decided_at >= ? AND decided_at < ?",
          [partner.id, from, to],
        );
        for (const { reasons } of outcomes) {
          for (const code of new Set((JSON.parse(reasons) as { code: string }[]).map((r) => r.code))) {
            withheld[code] = (withheld[code] ?? 0) + 1;
          }
        }
        const doc: DisclosureReport = {
          partner: { id: partner.id, name: partner.name },
          from,
          to,
          rows,
          withheld_by_reason: withheld,
        };
        if (opts.format === 'json') process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
        else if (opts.format === 'html') process.stdout.write(formatDisclosuresHtml(doc));
        else process.stdout.write(formatDisclosuresCsv(doc));
      } finally {
        await hub.close();
      }
    });
}
