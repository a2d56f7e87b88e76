import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import { openHubAt } from '../app/hub-open.js';
import { DATA_OPTION } from './cli-arguments.js';
import { usageError } from './cli-error.js';
import { requireActorOrClose } from './cli-hub.js';

const PAGE = 5000;

function parseSince(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(value) || Number.isNaN(ms)) {
    throw usageError(
      `--since: '${value}' is not a date or an RFC 3339 timestamp (e.g. 2026-01-31T00:00:00Z)`,
    );
  }
  return ms * 1000 - 1;
}

async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('export a STIX 2.1 bundle of the latest versions (or all versions)')
    .option(...DATA_OPTION)
    .option('--type <types>', 'only these types (comma-separated)')
    .option(
      '--since <timestamp>',
      'only objects added to the hub at or after this time: a date (midnight UTC) or an RFC 3339 timestamp',
    )
    .option('--all-versions', 'every stored version, not only the latest')
    .option('--db <url>', 'postgres://… (default: the data dir, or $TEARLINE_DB)')
    .option('--out <file>', 'write to this file (atomically) instead of standard output')
    .action(
      async (opts: {
        data?: string;
        db?: string;
        type?: string;
        since?: string;
        allVersions?: boolean;
        out?: string;
      }) => {
        const types = opts.type
          ?.split(',')
          .map((t) => t.trim())
          .filter(Boolean);
        if (types?.some((t) => !/^[a-z0-9-]+$/.test(t))) {
          throw usageError(`--type: '${opts.type}' must be STIX type names separated by commas`);
        }
        let cursor = parseSince(opts.since) ?? -1;
        const hub = await openHubAt({ ...opts, readOnly: true });
        await requireActorOrClose(hub, opts, 'read');
        const tmp = opts.out ? `${opts.out}.tmp-${process.pid}` : undefined;
        const out: Writable = tmp ? createWriteStream(tmp) : process.stdout;
        let count = 0;
        try {
          await write(out, `{"type":"bundle","id":"bundle--${randomUUID()}","objects":[`);
          for (;;) {
            const rows = await hub.objects.page({
              addedAfterUs: cursor,
              versions: opts.allVersions ? 'all' : 'latest',
              limit: PAGE,
              ...(types ? { types } : {}),
            });
            for (const row of rows) {
              await write(out, `${count === 0 ? '\n' : ',\n'}${row.json}`);
              count++;
            }
            const last = rows[rows.length - 1];
            if (!last || rows.length < PAGE) break;
            cursor = last.addedUs;
          }
          await write(out, '\n]}\n');
          if (tmp && opts.out) {
            out.end();
            await once(out, 'finish');
            renameSync(tmp, opts.out);
            process.stderr.write(`exported ${count} objects to ${opts.out}\n`);
          }
        } catch (err) {
          if (tmp) rmSync(tmp, { force: true });
          throw err;
        } finally {
          await hub.close();
        }
      },
    );
}
