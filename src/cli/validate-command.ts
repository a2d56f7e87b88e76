import { createReadStream } from 'node:fs';
import type { Command } from 'commander';
import { DEFAULT_CONFIG } from '../app/data-dir.js';
import { DryRunTarget } from '../ingest/dry-run-target.js';
import { importStream } from '../ingest/import-stream.js';
import { formatRejection } from '../ingest/import-summary.js';
import { JsonSplitter } from '../ingest/json-splitter.js';
import { validateBundleEnvelope } from '../stix/validate-bundle.js';
import type { ValidationIssue } from '../stix/validation-types.js';
import { wholeNumberOption } from './cli-arguments.js';
import { EXIT_FAIL } from './cli-error.js';
import { checkInputFiles } from './import-command.js';

interface DocumentReport {
  file: string;
  valid: boolean;
  /** Elements read (objects and whatever stood where an object should). */
  objects: number;
  /** Elements refused: each has one or more errors. */
  rejected: number;
  warning_count: number;
  /** The errors of the first `--max-listed` refused elements. */
  errors: LocatedIssue[];
  /** The first `--max-listed` warnings. */
  warnings: LocatedIssue[];
  /** True when either list stops short of the counts. */
  truncated: boolean;
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

/**
 * The input's chunks, also fed to a splitter that reports each bundle's envelope, so the
 * envelope (type, id, no other properties, a non-empty objects list) gets the checks
 * validateBundle makes while the objects stream through the import's own checks.
 */
async function* watchEnvelopes(
  file: string,
  onEnvelope: (location: string, envelope: Record<string, unknown>, objectCount: number) => void,
): AsyncIterable<Buffer> {
  const splitter = new JsonSplitter({
    maxObjectBytes: DEFAULT_CONFIG.max_object_bytes,
    maxDepth: 64,
    maxRawBytes: 0,
    envelopes: true,
  });
  const report = (items: ReturnType<JsonSplitter['push']>) => {
    for (const item of items)
      if (item.kind === 'envelope') onEnvelope(item.location, item.envelope, item.objectCount);
  };
  const source = file === '-' ? process.stdin : createReadStream(file, { highWaterMark: 1024 * 1024 });
  for await (const chunk of source as AsyncIterable<Buffer>) {
    report(splitter.push(chunk));
    yield chunk;
  }
  report(splitter.end());
}

/** Listed by default: enough to fix a file by, few enough that 200,000 bad objects stay small. */
const DEFAULT_LISTED = 1000;

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('validate STIX 2.1 files without importing them (exit 0 all valid, 1 any invalid)')
    .argument('<files...>', 'files to validate, or - for standard input')
    .option('--strict', 'treat SHOULD-level findings (warnings) as errors')
    .option('--json', 'print one report per file as JSON')
    .option(
      '--max-listed <n>',
      'refused objects and warnings listed per file (all are counted)',
      String(DEFAULT_LISTED),
    )
    .action(async (files: string[], opts: { strict?: boolean; json?: boolean; maxListed: string }) => {
      checkInputFiles(files);
      const listed = wholeNumberOption(opts.maxListed, '--max-listed', 0, 9_999_999);
      const reports: DocumentReport[] = [];
      for (const file of files) {
        const warnings: LocatedIssue[] = [];
        // Envelopes are checked beside the objects: counted in full, listed up to --max-listed
        // like them (concatenated bundles can bring one envelope each).
        const envelopeErrors: LocatedIssue[] = [];
        const envelopeWarnings: LocatedIssue[] = [];
        let badEnvelopes = 0;
        let envelopeWarningCount = 0;
        const input = watchEnvelopes(file, (location, envelope, count) => {
          const r = validateBundleEnvelope(envelope, count, { strict: opts.strict ?? false });
          if (r.errors.length > 0 && badEnvelopes++ < listed)
            for (const e of r.errors) envelopeErrors.push(locate(location, undefined, e));
          for (const w of r.warnings)
            if (envelopeWarningCount++ < listed) envelopeWarnings.push(locate(location, undefined, w));
        });
        const summary = await importStream(input, new DryRunTarget(), {
          actor: 'validate',
          source: file === '-' ? 'stdin' : file,
          maxObjectBytes: DEFAULT_CONFIG.max_object_bytes,
          strict: opts.strict ?? false,
          listLimit: listed,
          onWarnings: (location, id, issues) => {
            for (const w of issues) if (warnings.length < listed) warnings.push(locate(location, id, w));
          },
        });
        const errors = [
          ...envelopeErrors,
          ...summary.rejections.flatMap((r) => r.errors.map((e) => locate(r.location, r.id, e))),
        ];
        const valid = summary.rejected === 0 && badEnvelopes === 0;
        const warningCount = summary.warnings + envelopeWarningCount;
        const listedWarnings = [...envelopeWarnings, ...warnings].slice(0, listed);
        const truncated =
          summary.rejections.length < summary.rejected ||
          badEnvelopes > listed ||
          listedWarnings.length < warningCount;
        reports.push({
          file,
          valid,
          objects: summary.read,
          rejected: summary.rejected,
          warning_count: warningCount,
          errors,
          warnings: listedWarnings,
          truncated,
        });
        if (!opts.json) {
          const verdict = valid
            ? 'valid'
            : summary.rejected === 0
              ? 'INVALID (the bundle envelope)'
              : `INVALID (${summary.rejected} of ${summary.read} objects)`;
          process.stdout.write(`${file}: ${verdict}, ${warningCount} warnings\n`);
          for (const e of envelopeErrors) process.stdout.write(`  error ${e.message}\n`);
          if (badEnvelopes > listed)
            process.stdout.write(`  … and ${badEnvelopes - listed} more refused envelopes (--max-listed)\n`);
          for (const r of summary.rejections)
            process.stdout.write(`${formatRejection(r).replace(/^/gm, '  error ')}\n`);
          const unlisted = summary.rejected - summary.rejections.length;
          if (unlisted > 0) process.stdout.write(`  … and ${unlisted} more refused objects (--max-listed)\n`);
          for (const w of listedWarnings) process.stdout.write(`  warning ${w.message}\n`);
          if (listedWarnings.length < warningCount)
            process.stdout.write(
              `  … and ${warningCount - listedWarnings.length} more warnings (--max-listed)\n`,
            );
        }
      }
      if (opts.json) process.stdout.write(`${JSON.stringify(files.length === 1 ? reports[0] : reports)}\n`);
      if (reports.some((r) => !r.valid)) process.exitCode = EXIT_FAIL;
    });
}
