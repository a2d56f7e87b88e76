import { statSync } from 'node:fs';
import type { Command } from 'commander';
import { runImportJob } from '../app/import-job.js';
import { formatSummary } from '../ingest/import-summary.js';
import { parseImportMarking } from '../stix/markings-import.js';
import { DATA_OPTION } from './cli-arguments.js';
import { CliError, EXIT_FAIL, usageError } from './cli-error.js';
import { withHubAs } from './cli-hub.js';
import { createProgress } from './progress.js';

/** Checks every path before anything is written, so a typo does not leave a half-done import. */
export function checkInputFiles(files: string[]): void {
  if (files.length === 0) throw usageError('name at least one FILE, or - for standard input');
  for (const file of files) {
    if (file === '-') continue;
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(file);
    } catch {
      throw new CliError(`${file}: no such file`, EXIT_FAIL);
    }
    if (!st.isFile()) throw new CliError(`${file}: not a regular file`, EXIT_FAIL);
  }
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('import STIX 2.1 (a bundle, an object, or JSON Lines); - reads standard input')
    .argument('<files...>', 'files to import, or - for standard input')
    .option(...DATA_OPTION)
    .option('--db <url>', 'postgres://… to import into PostgreSQL (default: the data dir, or $TEARLINE_DB)')
    .option('--strict', 'treat SHOULD-level findings (warnings) as errors')
    .option(
      '--marking <marking>',
      'tlp:clear|green|amber|amber+strict|red or a marking-definition--ID the hub holds: given to every object ' +
        'without a TLP marking (a statement: without that statement); never lowers a marking (recorded in the ledger)',
    )
    .option('--json', 'print the summary as JSON')
    .action(
      async (
        files: string[],
        opts: { data?: string; db?: string; strict?: boolean; json?: boolean; marking?: string },
      ) => {
        checkInputFiles(files);
        if (opts.marking !== undefined) {
          // The syntax now; whether the hub holds a statement id once the hub is open.
          const syntax = parseImportMarking(opts.marking, new Set([opts.marking.trim()]));
          if (!syntax.ok) throw usageError(`--marking: ${syntax.message}`);
        }
        // Who imports is checked here, before the job's worker opens the hub for itself.
        const actor = await withHubAs(opts, 'intel.import', async (_hub, a) => a.name);
        let bar: { file: string; progress: ReturnType<typeof createProgress> } | undefined;
        const barFor = (file: string) => {
          if (bar?.file !== file)
            bar = { file, progress: createProgress(file === '-' ? undefined : statSync(file).size) };
          return bar.progress;
        };
        const summaries = await runImportJob(
          {
            files,
            hub: { data: opts.data, db: opts.db },
            strict: opts.strict ?? false,
            actor,
            progress: !opts.json,
            ...(opts.marking !== undefined && { marking: opts.marking }),
          },
          {
            progress: (file, s, bytes) => barFor(file).update(s, bytes),
            summary: (file, s) => {
              if (opts.json) return;
              barFor(file).done();
              process.stdout.write(`${formatSummary(s)}\n`);
            },
          },
        );
        if (opts.json)
          process.stdout.write(`${JSON.stringify(files.length === 1 ? summaries[0] : summaries)}\n`);
        if (summaries.some((s) => s.rejected > 0)) process.exitCode = EXIT_FAIL;
      },
    );
}
