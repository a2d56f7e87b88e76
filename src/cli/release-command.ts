import type { Command } from 'commander';
import { readHubSecret } from '../app/data-dir.js';
import { openHubAt } from '../app/hub-open.js';
import { requireHubPolicyWithDigest } from '../app/hub-policy-watch.js';
import { releaseStoresOf } from '../app/release-stores.js';
import { decideQueueItem } from '../release/release-approval.js';
import { runReleasePipeline } from '../release/release-pipeline.js';
import {
  loadQueueEntries,
  QUEUE_SORTS,
  type QueueSort,
  sortQueueEntries,
} from '../release/release-queue-view.js';
import { listRecalls, recallRelease } from '../release/release-recall.js';
import { requireActor } from './cli-actor.js';
import { DATA_OPTION } from './cli-arguments.js';
import { CliError, usageError } from './cli-error.js';
import { requirePartner } from './cli-hub.js';
import { JSON_OPTION, printJson } from './cli-output.js';
import { type BulkOptions, bulkOptionsGiven, decideBulk } from './queue-bulk.js';
import { parseQueueFilter } from './queue-filter.js';

const FILTER_HELP =
  'select by KEY=VALUE clauses, space- or ;-separated: type=T1,T2 label=L group=ID report=ID (e.g. "type=indicator label=isis-k")';

interface Common {
  data?: string;
  db?: string;
  json?: boolean;
}

export function registerRelease(program: Command): void {
  const release = program
    .command('release')
    .description('the release pipeline: decide, sanitise, release or queue');
  release
    .command('run')
    .description('run the pipeline over everything pending, for every partner (or one)')
    .option('--partner <partner>', 'only this partner (name or id)')
    .option('--full', 'decide every object for every partner, not only what changed since the last pass')
    .option(...DATA_OPTION)
    .option('--json', 'print, per partner, what was done and the decisions by outcome and reason, as JSON')
    .action(async (opts: Common & { partner?: string; full?: boolean }) => {
      const hub = await openHubAt(opts);
      try {
        const actor = await requireActor(hub, opts, 'release.run');
        if (opts.partner) await requirePartner(hub.state, opts.partner);
        const settings = requireHubPolicyWithDigest(hub.paths.dir);
        const report = await runReleasePipeline(releaseStoresOf(hub), {
          now: hub.clock.now(),
          actor: actor.name,
          hubSecret: readHubSecret(hub.paths.hubSecret),
          policy: settings.policy,
          settingsDigest: settings.digest,
          ...(opts.full && { full: true }),
          ...(opts.partner && { partner: opts.partner }),
        });
        await hub.checkpointIfDue();
        if (opts.json) return printJson(report);
        if (report.mode === 'idle') {
          process.stdout.write(
            'nothing changed since the last pass: nothing to decide (--full decides everything)\n',
          );
          return;
        }
        if (report.mode === 'incremental')
          process.stdout.write(
            `incremental pass: ${report.decided} decision(s) over what changed since the last pass (--full decides everything)\n`,
          );
        for (const p of report.partners) {
          const c = p.decisions.counts;
          process.stdout.write(
            `${p.partner}: release ${c.release}, needs-approval ${c['needs-approval']}, withhold ${c.withhold}; ` +
              `this run ${p.released} released, ${p.queued} queued for approval, ${p.withheld} withheld, ${p.waiting} waiting, ${p.unchanged} unchanged\n`,
          );
          for (const [code, n] of Object.entries(p.decisions.reasons).sort((a, b) => b[1] - a[1])) {
            process.stdout.write(`    ${code.padEnd(24)} ${n}\n`);
          }
        }
      } finally {
        await hub.close();
      }
    });

  const queue = program.command('queue').description('the release queue: tearlines waiting for officers');
  queue
    .command('list')
    .option('--partner <partner>', 'only this partner (name or id)')
    .option('--group <id>', 'only the items of this grouping (a report, or the object they hang from)')
    .option('--type <types>', 'only these STIX types (comma-separated)')
    .option('--label <labels>', 'only items carrying one of these labels (comma-separated)')
    .option('--filter <clauses>', FILTER_HELP)
    .option('--sort <key>', `${QUEUE_SORTS.join(', ')}`, 'group')
    .option(...DATA_OPTION)
    .option(...JSON_OPTION)
    .description(
      'list open items by grouping, titled (relationships as source -> verb -> target), with reasons and approvals so far',
    )
    .action(
      async (
        opts: Common & {
          partner?: string;
          group?: string;
          type?: string;
          label?: string;
          filter?: string;
          sort: string;
        },
      ) => {
        if (!QUEUE_SORTS.includes(opts.sort as QueueSort))
          throw usageError(`--sort "${opts.sort}" must be one of ${QUEUE_SORTS.join(', ')}`);
        const { types, labels, group } = parseQueueFilter(opts.filter, opts);
        const hub = await openHubAt(opts);
        try {
          await requireActor(hub, opts, 'read');
          const { partners } = hub.state;
          const only = opts.partner ? await requirePartner(hub.state, opts.partner) : undefined;
          const now = hub.clock.now().getTime();
          const names = new Map((await partners.list()).map((p) => [p.id, p.name]));
          const entries = sortQueueEntries(
            await loadQueueEntries(hub.state.reads, {
              ...(only && { partnerId: only.id }),
              ...(group !== undefined && { group }),
              ...(types && { types }),
              ...(labels && { labels }),
            }),
            opts.sort as QueueSort,
          );
          const items = entries.map((i) => ({
            id: i.id,
            partner: names.get(i.partner_id) ?? i.partner_id,
            object_id: i.object_id,
            object_version: i.object_version,
            type: i.type,
            title: i.title,
            group: i.group,
            state: i.state,
            reasons: i.reasons,
            approvals: i.approvals,
            approvals_required: i.approvals_required,
            removed: i.removed,
            age_seconds: Math.round((now - Date.parse(i.created_at)) / 1000),
          }));
          if (opts.json) return printJson(items);
          let shownGroup = '';
          for (const i of items) {
            if (i.group.key !== shownGroup) {
              shownGroup = i.group.key;
              process.stdout.write(`${i.group.title}  [--group ${i.group.key}]\n`);
            }
            const approved = i.approvals.filter((a) => a.verdict === 'approve').length;
            process.stdout.write(
              `  ${i.id}  ${i.partner}  ${i.type}  ${i.title}  ${approved}/${i.approvals_required} approvals  ${i.state}\n`,
            );
            for (const r of i.reasons) process.stdout.write(`      ${r.code}: ${r.message}\n`);
          }
        } finally {
          await hub.close();
        }
      },
    );

  for (const verdict of ['approve', 'deny'] as const) {
    queue
      .command(verdict)
      .description(
        (verdict === 'approve'
          ? "approve a queued tearline, or a selection of one partner's queue (release officers)"
          : 'deny a queued tearline, or a selection, saying why') +
          ': with --partner and --all, --group/--report, --type/--label or --filter it prints the combined tearline diff and a digest; ' +
          'run it again with --confirm DIGEST to decide exactly those items',
      )
      .argument('[id]', 'queue item id (see: tearline queue list)')
      .option('--comment <text>', verdict === 'deny' ? 'why (required)' : 'a comment')
      .option('--partner <partner>', "a selection of this partner's queue (name or id)")
      .option('--all', 'every open item of --partner')
      .option(
        '--group <id>',
        'every item of a grouping: the report citing them, or the object they hang from',
      )
      .option('--report <id>', 'every item of a report (the same as --group with a report id)')
      .option('--type <types>', 'only these STIX types (comma-separated)')
      .option('--label <labels>', 'only items carrying one of these labels (comma-separated)')
      .option('--filter <clauses>', FILTER_HELP)
      .option('--confirm <digest>', 'decide the selection shown with this digest (refused if it changed)')
      .option(...DATA_OPTION)
      .option(...JSON_OPTION)
      .action(async (id: string | undefined, opts: Common & BulkOptions & { comment?: string }) => {
        if (verdict === 'deny' && !opts.comment?.trim()) throw usageError('deny needs --comment saying why');
        const bulk = bulkOptionsGiven(opts);
        if (id !== undefined && bulk)
          throw usageError('give an item id or a selection (--partner ...), not both');
        if (id === undefined && !bulk)
          throw usageError(
            'give an item id, or --partner P with --all, --group, --report, --type, --label or --filter',
          );
        const hub = await openHubAt(opts);
        try {
          const actor = await requireActor(hub, opts, 'queue.decide');
          const officer = { name: actor.name, role: actor.role, auth: actor.auth, origin: actor.origin };
          if (id === undefined) {
            await decideBulk(hub, officer, verdict, opts);
            return;
          }
          const r = await decideQueueItem(
            releaseStoresOf(hub),
            id,
            officer,
            verdict,
            opts.comment,
            hub.clock.now(),
          );
          if (!r.ok) throw new CliError(r.message);
          await hub.checkpointIfDue();
          if (opts.json) return printJson(r);
          process.stdout.write(
            `${id}: ${r.state} (${r.approvals}/${r.required} approvals)${r.releaseId ? ` as ${r.releaseId}` : ''}${r.note ? `; ${r.note}` : ''}\n`,
          );
        } finally {
          await hub.close();
        }
      });
  }

  program
    .command('recall')
    .description(
      'revoke what a partner was given of an object (and the relationships and sightings citing it)',
    )
    .argument('<partner>', 'partner name or id')
    .argument('<object-id>', 'the hub id of the object')
    .requiredOption('--reason <text>', 'why')
    .option(...DATA_OPTION)
    .option(...JSON_OPTION)
    .action(async (partnerName: string, objectId: string, opts: Common & { reason: string }) => {
      const hub = await openHubAt(opts);
      try {
        const actor = await requireActor(hub, opts, 'release.recall');
        const partner = await requirePartner(hub.state, partnerName);
        const r = await recallRelease(
          releaseStoresOf(hub),
          partner.id,
          objectId,
          opts.reason,
          actor.name,
          hub.clock.now(),
        );
        if (!r.ok) throw new CliError(r.message);
        await hub.checkpointIfDue();
        if (opts.json) return printJson(r.recalled);
        for (const x of r.recalled)
          process.stdout.write(`recalled ${x.original_id} (${x.derived_id} for ${partner.name})\n`);
      } finally {
        await hub.close();
      }
    });

  program
    .command('recalls')
    .description('recalls and whether each partner has acknowledged them (a note citing the revoked object)')
    .option('--partner <partner>', 'only this partner (name or id)')
    .option('--outstanding', 'only recalls not yet acknowledged')
    .option(...DATA_OPTION)
    .option(...JSON_OPTION)
    .action(async (opts: Common & { partner?: string; outstanding?: boolean }) => {
      const hub = await openHubAt(opts);
      try {
        await requireActor(hub, opts, 'read');
        const { partners } = hub.state;
        const only = opts.partner ? await requirePartner(hub.state, opts.partner) : undefined;
        const list = (await listRecalls(hub.state, only?.id)).filter(
          (r) => !opts.outstanding || r.acknowledged_at === null,
        );
        if (opts.json) return printJson(list);
        const names = new Map((await partners.list()).map((p) => [p.id, p.name]));
        for (const r of list) {
          const who = names.get(r.partner_id) ?? r.partner_id;
          const ack = r.acknowledged_at ? `acknowledged ${r.acknowledged_at}` : 'NOT acknowledged';
          process.stdout.write(
            `${r.recalled_at}  ${who}  ${r.original_id} (${r.derived_id})  ${ack}  reason: ${r.reason}\n`,
          );
        }
      } finally {
        await hub.close();
      }
    });
}
