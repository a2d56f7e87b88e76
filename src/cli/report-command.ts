import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { buildDisclosureReport } from '../app/hub-disclosures.js';
import { openHubAt } from '../app/hub-open.js';
import { requireHubPolicy } from '../app/hub-policy-watch.js';
import {
  DISCLOSURE_TABLES,
  formatDisclosureCsv,
  formatDisclosuresHtml,
  isDisclosureTable,
} from '../release/release-report-format.js';
import { reportPeriod } from '../release/release-report-period.js';
import { storageFaultOf } from '../store/storage-fault.js';
import { DATA_OPTION, parseTimeOption } from './cli-arguments.js';
import { usageError } from './cli-error.js';
import { requireActorOrClose, requirePartner } from './cli-hub.js';
import { findChromium, printHtmlToPdf } from './report-pdf.js';

/**
 * The report's period as reportPeriod reads it (a date as --to includes that day), from the
 * CLI's time options (dates, RFC 3339 times, today).
 */
export function readReportPeriod(fromText: string, toText: string): { from: string; to: string } {
  const from = parseTimeOption(fromText, '--from') as Date;
  const period = reportPeriod(from, parseTimeOption(toText, '--to') as Date, toText);
  if (!period.ok) throw usageError(`--from ${fromText} must be before --to ${toText}`);
  return { from: period.from, to: period.to };
}

export function registerReport(program: Command): void {
  const report = program.command('report').description('reports for officers and overseers');
  report
    .command('disclosures')
    .description(
      'every release and recall to a partner in a period, with receipts, what it fetched over TAXII, and what the hub withholds by reason ' +
        'as of the end of the period (or now), decided as explain, decide and release run decide',
    )
    .requiredOption('--partner <partner>', 'partner name or id')
    .requiredOption('--from <date>', 'start, inclusive: a date (midnight UTC) or an RFC 3339 timestamp')
    .requiredOption(
      '--to <date>',
      'end: a date includes that whole day (UTC); an RFC 3339 timestamp is the exclusive end',
    )
    .option(
      '--format <format>',
      'csv, json, html or pdf (pdf: printed by a local Chromium; redirect it to a file)',
      'csv',
    )
    .option('--table <table>', `the CSV table to print: ${DISCLOSURE_TABLES.join(', ')}`, 'releases')
    .option(
      '--out <dir>',
      'write every table as its own CSV file, report.html, report.json and (where Chromium is installed) report.pdf into this directory',
    )
    .option(...DATA_OPTION)
    .action(
      async (opts: {
        partner: string;
        from: string;
        to: string;
        format: string;
        table: string;
        out?: string;
        data?: string;
      }) => {
        if (!['csv', 'json', 'html', 'pdf'].includes(opts.format))
          throw usageError(`--format '${opts.format}' must be csv, json, html or pdf`);
        // A PDF is bytes: never onto a terminal, where it would be noise (and could move the cursor).
        if (opts.format === 'pdf' && !opts.out && process.stdout.isTTY)
          throw usageError(
            '--format pdf writes a PDF to standard output: redirect it to a file, or give --out DIR',
          );
        if (!isDisclosureTable(opts.table))
          throw usageError(`--table '${opts.table}' must be one of ${DISCLOSURE_TABLES.join(', ')}`);
        const table = opts.table;
        const { from, to } = readReportPeriod(opts.from, opts.to);
        // The report signs the checkpoint due so recent releases have receipts; on a full or
        // read-only disk it still reports, from the checkpoints already signed.
        const hub = await openHubAt(opts).catch((err: unknown) => {
          if (!storageFaultOf(err)) throw err;
          return openHubAt({ ...opts, readOnly: true });
        });
        await requireActorOrClose(hub, opts, 'read');
        try {
          const partner = await requirePartner(hub.state, opts.partner);
          const doc = await buildDisclosureReport(
            hub,
            requireHubPolicy(hub.paths.dir),
            partner,
            from,
            to,
            new Date(),
          );
          if (opts.out) {
            mkdirSync(opts.out, { recursive: true });
            const files: [string, string][] = [
              ...DISCLOSURE_TABLES.map((t): [string, string] => [`${t}.csv`, formatDisclosureCsv(doc, t)]),
              ['report.html', formatDisclosuresHtml(doc)],
              ['report.json', `${JSON.stringify(doc, null, 2)}\n`],
            ];
            for (const [name, text] of files) writeFileSync(join(opts.out, name), text, { mode: 0o600 });
            const written = files.map(([name]) => join(opts.out as string, name));
            // The PDF where this machine can print one; the HTML prints the same from a browser.
            if (findChromium()) {
              try {
                const pdf = printHtmlToPdf(formatDisclosuresHtml(doc));
                writeFileSync(join(opts.out, 'report.pdf'), pdf, { mode: 0o600 });
                written.push(join(opts.out, 'report.pdf'));
              } catch (err) {
                process.stderr.write(`report.pdf not written: ${(err as Error).message}\n`);
              }
            } else
              process.stderr.write('no Chromium here: report.pdf not written (print report.html instead)\n');
            process.stdout.write(`${written.join('\n')}\n`);
          } else if (opts.format === 'json') process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
          else if (opts.format === 'html') process.stdout.write(formatDisclosuresHtml(doc));
          else if (opts.format === 'pdf') process.stdout.write(printHtmlToPdf(formatDisclosuresHtml(doc)));
          else process.stdout.write(formatDisclosureCsv(doc, table));
        } finally {
          await hub.close();
        }
      },
    );
}
