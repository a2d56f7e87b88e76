import { createReadStream, statSync } from 'node:fs';
import type { Command } from 'commander';
import { openHubAt } from '../app/hub-open.js';
import { importStream } from '../ingest/import-stream.js';
import { formatSummary, type ImportSummary } from '../ingest/import-summary.js';
import { CliError, EXIT_FAIL, usageError } from './cli-error.js';
import { createProgress } from './progress.js';

const CHUNK = 1024 * 1024;

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

export function openInput(file: string): AsyncIterable<Buffer> {
  return file === '-'
    ? (process.stdin as AsyncIterable<Buffer>)
    : createReadStream(file, { highWaterMark: CHUNK });
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('import STIX 2.1 (a bundle, an object, or JSON Lines); - reads standard input')
    .argument('<files...>', 'files to import, or - for standard input')
    .option('--data <dir>', 'data directory (default ./tearline-data or $TEARLINE_DATA)')
    .option('--db <url>', 'postgres://… to import into PostgreSQL (default: the data dir, or $TEARLINE_DB)')
    .option('--strict', 'treat SHOULD-level findings (warnings) as errors')
    .option('--json', 'print the summary as JSON')
    .action(
      async (files: string[], opts: { data?: string; db?: string; strict?: boolean; json?: boolean }) => {
        checkInputFiles(files);
        const hub = await openHubAt(opts);
        const summaries: ImportSummary[] = [];
        try {
          for (const file of files) {
            const size = file === '-' ? undefined : statSync(file).size;
            const progress = opts.json ? undefined : createProgress(size);
            const summary = await importStream(openInput(file), hub.objects, {
              source: file === '-' ? 'stdin' : `file:${file}`,
              maxObjectBytes: hub.config.max_object_bytes,
              strict: opts.strict ?? false,
              ...(progress ? { onProgress: (s: ImportSummary, b: number) => progress.update(s, b) } : {}),
            });
            progress?.done();
            summaries.push(summary);
            if (!opts.json) process.stdout.write(`${formatSummary(summary)}\n`);
          }
          await hub.checkpointIfDue();
        } finally {
          await hub.close();
        }
        if (opts.json)
          process.stdout.write(`${JSON.stringify(files.length === 1 ? summaries[0] : summaries)}\n`);
        if (summaries.some((s) => s.rejected > 0)) process.exitCode = EXIT_FAIL;
      },
    );
}
