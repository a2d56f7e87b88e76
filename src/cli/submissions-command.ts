import type { Command } from 'commander';
import { reviewStoresOf } from '../app/release-stores.js';
import { promoteSubmission, rejectSubmission } from '../release/submission-promote.js';
import { isReviewState, type SubmissionSummary } from '../store/hub/submission-review-store.js';
import { DATA_OPTION, requireReason, wholeNumberOption } from './cli-arguments.js';
import { CliError, usageError } from './cli-error.js';
import { requirePartner, withHubAs } from './cli-hub.js';
import { JSON_OPTION, printJson } from './cli-output.js';

interface Common {
  data?: string;
  db?: string;
  json?: boolean;
}

function parseNumber(value: string): number {
  if (!/^\d{1,16}$/.test(value) || !Number.isSafeInteger(Number(value)))
    throw usageError(`submission "${value}" must be a submission number (see: tearline submissions list)`);
  return Number(value);
}

function line(s: SubmissionSummary, partner: string): string {
  const review =
    s.state === 'pending'
      ? 'pending'
      : `${s.state} by ${s.reviewed_by} ${s.reviewed_at}${s.promoted_id ? ` as ${s.promoted_id}` : ''}`;
  return `${s.number}  ${s.received_at}  ${partner}  ${s.object_id}  ${review}${s.legacy ? '  (was intel before 1300)' : ''}`;
}

export function registerSubmissions(program: Command): void {
  const cmd = program
    .command('submissions')
    .description(
      "partners' submissions: kept in each partner's space until an analyst promotes or rejects them",
    );

  cmd
    .command('list')
    .description('submissions, newest first (pending by default)')
    .option('--partner <partner>', 'only this partner (name or id)')
    .option('--state <state>', 'pending, promoted, rejected or all', 'pending')
    .option('--limit <n>', 'at most this many', '100')
    .option(...DATA_OPTION)
    .option(...JSON_OPTION)
    .action(async (opts: Common & { partner?: string; state: string; limit: string }) => {
      if (opts.state !== 'all' && !isReviewState(opts.state))
        throw usageError(`--state "${opts.state}" must be pending, promoted, rejected or all`);
      const limit = wholeNumberOption(opts.limit, '--limit', 1, 99999);
      await withHubAs(opts, 'read', async (hub) => {
        const partnerId = opts.partner ? (await requirePartner(hub.state, opts.partner)).id : undefined;
        const items = await hub.state.submissions.list({
          ...(partnerId && { partnerId }),
          state: opts.state === 'all' ? 'all' : (opts.state as SubmissionSummary['state']),
          limit,
        });
        if (opts.json) return printJson(items);
        const names = new Map((await hub.state.partners.list()).map((p) => [p.id, p.name]));
        if (items.length === 0)
          process.stdout.write(`no ${opts.state === 'all' ? '' : `${opts.state} `}submissions\n`);
        for (const s of items) process.stdout.write(`${line(s, names.get(s.partner_id) ?? s.partner_id)}\n`);
      });
    });

  cmd
    .command('show')
    .description(
      'one submission: as sent, as mapped to the hub’s ids, its review, releases made from it before 1300',
    )
    .argument('<number>', 'the submission number (see: tearline submissions list)')
    .option(...DATA_OPTION)
    .option(...JSON_OPTION)
    .action(async (value: string, opts: Common) => {
      const number = parseNumber(value);
      await withHubAs(opts, 'read', async (hub) => {
        const s = await hub.state.submissions.get(number);
        if (!s) throw new CliError(`no submission ${number} (see: tearline submissions list)`);
        const partner = (await hub.state.partners.get(s.partner_id))?.name ?? s.partner_id;
        const released = await hub.state.submissions.releasedFromLegacy(s);
        if (opts.json) return printJson({ ...s, partner, released_before_1300: released });
        process.stdout.write(`${line(s, partner)}\n`);
        if (s.review_note) process.stdout.write(`reason: ${s.review_note}\n`);
        process.stdout.write(`as mapped to the hub's ids:\n${JSON.stringify(s.mapped, null, 2)}\n`);
        for (const r of released) {
          process.stdout.write(
            `released as intel before 1300 to ${r.partner_id} (${r.release_id}, ${r.released_at})${r.recalled_at ? `, recalled ${r.recalled_at}` : `: recall with tearline recall ${r.partner_id} ${s.object_id} --reason ...`}\n`,
          );
        }
      });
    });

  cmd
    .command('promote')
    .description(
      'make a submission intel: a new hub object with its provenance, released only as any intel is',
    )
    .argument('<number>', 'the submission number')
    .option(...DATA_OPTION)
    .option(...JSON_OPTION)
    .action(async (value: string, opts: Common) => {
      const number = parseNumber(value);
      // The signed-in analyst counts as the promoted object's importer (so may not approve it).
      await withHubAs(opts, 'submission.review', async (hub, actor) => {
        const r = await promoteSubmission(reviewStoresOf(hub), number, actor, hub.clock.now());
        if (!r.ok) throw new CliError(r.message);
        await hub.checkpointIfDue();
        if (opts.json) return printJson(r);
        process.stdout.write(
          `${number}: promoted as ${r.promotedId}${r.existing ? ' (the hub held this observable already)' : ''}\n`,
        );
      });
    });

  cmd
    .command('reject')
    .description('keep a submission out of intel, saying why (it stays in the partner’s space)')
    .argument('<number>', 'the submission number')
    .requiredOption('--reason <text>', 'why')
    .option(...DATA_OPTION)
    .option(...JSON_OPTION)
    .action(async (value: string, opts: Common & { reason: string }) => {
      const number = parseNumber(value);
      const reason = requireReason(opts.reason, 'reject it');
      await withHubAs(opts, 'submission.review', async (hub, actor) => {
        const r = await rejectSubmission(reviewStoresOf(hub), number, actor, reason, hub.clock.now());
        if (!r.ok) throw new CliError(r.message);
        await hub.checkpointIfDue();
        if (opts.json) return printJson({ number, state: 'rejected' });
        process.stdout.write(`${number}: rejected\n`);
      });
    });
}
