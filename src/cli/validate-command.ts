import type { Command } from 'commander';
import { DEFAULT_CONFIG } from '../app/data-dir.js';
import { DryRunTarget } from '../ingest/dry-run-target.js';
import { importStream } from '../ingest/import-stream.js';
import { formatRejection } from '../ingest/import-summary.js';
import type { ValidationIssue } from '../stix/validation-types.js';
import { EXIT_FAIL } from './cli-error.js';
import { checkInputFiles } from './import-command.js';

interface DocumentReport {
  file: string;
  valid: boolean;
  objects: number;
  errors: LocatedIssue[];
  warnings: LocatedIssue[];
}

interface LocatedIssue extends ValidationIssue {
  /** Where the object stands in the input, e.g. 'objects[17]' or 'line 42'. */
  location: string;
  id?: string;
}

function locate(location: string, id: string | undefined, issue: ValidationIssue): LocatedIssue {
  const prefix = [location, id].filter(Boolean).join(' ');
  return { ...issue, location, ...(id ? { id } : {}), message: `${prefix}: ${issue.message}` };
}

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('validate STIX 2.1 files without importing them (exit 0 all valid, 1 any invalid)')
    .argument('<files...>', 'files to validate, or - for standard input')
    .option('--strict', 'treat SHOULD-level findings (warnings) as errors')
    .option('--json', 'print one report per file as JSON')
    .action(async (files: string[], opts: { strict?: boolean; json?: boolean }) => {
      checkInputFiles(files);
      const reports: DocumentReport[] = [];
      for (const file of files) {
        const warnings: LocatedIssue[] = [];
        const summary = await importStream({ path: file }, new DryRunTarget(), {
          actor: 'validate',
          source: file === '-' ? 'stdin' : file,
          maxObjectBytes: DEFAULT_CONFIG.max_object_bytes,
          strict: opts.strict ?? false,
          listLimit: Number.POSITIVE_INFINITY,
          onWarnings: (location, id, issues) => {
            for (const w of issues) warnings.push(locate(location, id, w));
          },
        });
        const errors = summary.rejections.flatMap((r) => r.errors.map((e) => locate(r.location, r.id, e)));
        reports.push({ file, valid: summary.rejected === 0, objects: summary.read, errors, warnings });
        if (!opts.json) {
          const verdict =
            summary.rejected === 0 ? 'valid' : `INVALID (${summary.rejected} of ${summary.read} objects)`;
          process.stdout.write(`${file}: ${verdict}, ${warnings.length} warnings\n`);
          for (const r of summary.rejections)
            process.stdout.write(`${formatRejection(r).replace(/^/gm, '  error ')}\n`);
          for (const w of warnings) process.stdout.write(`  warning ${w.message}\n`);
        }
      }
      if (opts.json) process.stdout.write(`${JSON.stringify(files.length === 1 ? reports[0] : reports)}\n`);
      if (reports.some((r) => !r.valid)) process.exitCode = EXIT_FAIL;
    });
}
