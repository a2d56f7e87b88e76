import type { Command } from 'commander';
import { readHubSecret } from '../app/data-dir.js';
import { openHubAt } from '../app/hub-open.js';
import { releaseStoresOf } from '../app/release-stores.js';
import { decideQueueItem } from '../release/release-approval.js';
import { runReleasePipeline } from '../release/release-pipeline.js';
import { listRecalls, recallRelease } from '../release/release-recall.js';
import { requireActor } from './cli-actor.js';
import { CliError, usageError } from './cli-error.js';
import { readOperatorPolicies, readUntaggedTlp } from './decide-command.js';
import { printJson } from './partner-command.js';

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
    .option('--data <dir>', 'data directory')
    .option('--json', 'print counts by outcome as JSON')
    .action(async (opts: Common & { partner?: string }) => {
      const hub = await openHubAt(opts);
      try {
        const actor = await requireActor(hub, opts, 'release.run');
        if (opts.partner && !(await hub.state.partners.get(opts.partner))) {
          throw new CliError(`no partner named or with id "${opts.partner}" (see: tearline partner list)`);
        }
        const untagged = readUntaggedTlp(hub.paths.dir);
        const report = await runReleasePipeline(releaseStoresOf(hub), {
          now: hub.clock.now(),
          actor: actor.name,
          hubSecret: readHubSecret(hub.paths.hubSecret),
          operator: readOperatorPolicies(hub.paths.dir),
          ...(opts.partner && { partner: opts.partner }),
          ...(untagged && { untaggedTlp: untagged }),
        });
        await hub.checkpointIfDue();
        if (opts.json) return printJson(report);
        for (const p of report.partners) {
          process.stdout.write(
            `${p.partner}: ${p.released} released, ${p.queued} queued for approval, ${p.withheld} withheld, ${p.waiting} waiting, ${p.unchanged} unchanged\n`,
          );
        }
      } finally {
        await hub.close();
      }
    });

  const queue = program.command('queue').description('the release queue: tearlines waiting for officers');
  queue
    .command('list')
    .option('--partner <partner>', 'only this partner (name or id)')
    .option('--data <dir>', 'data directory')
    .option('--json', 'print as JSON')
    .description('list pending items with their reasons and approvals so far')
    .action(async (opts: Common & { partner?: string }) => {
      const hub = await openHubAt(opts);
      try {
        await requireActor(hub, opts, 'read');
        const { partners, releases } = hub.state;
        const only = opts.partner ? await partners.get(opts.partner) : undefined;
        if (opts.partner && !only) throw new CliError(`no partner named or with id "${opts.partner}"`);
        const now = hub.clock.now().getTime();
        const names = new Map((await partners.list()).map((p) => [p.id, p.name]));
        const items = [];
        for (const i of await releases.openItems(only?.id)) {
          const approvals = await releases.approvals(i);
          items.push({
            id: i.item_id,
            partner: names.get(i.partner_id) ?? i.partner_id,
            object_id: i.object_id,
            object_version: i.object_version,
            state: i.state,
            reasons: i.reasons,
            approvals: approvals.map((a) => ({
              approver: a.approver,
              verdict: a.verdict,
              at: a.at,
              comment: a.comment,
              auth: a.auth,
            })),
            approvals_required: i.approvals_required,
            removed: i.removed,
            age_seconds: Math.round((now - Date.parse(i.created_at)) / 1000),
          });
        }
        if (opts.json) return printJson(items);
        for (const i of items) {
          process.stdout.write(
            `${i.id}  ${i.partner}  ${i.object_id}  ${i.approvals.length}/${i.approvals_required} approvals  ${i.state}\n`,
          );
          for (const r of i.reasons) process.stdout.write(`    ${r.code}: ${r.message}\n`);
        }
      } finally {
        await hub.close();
      }
    });

  for (const verdict of ['approve', 'deny'] as const) {
    queue
      .command(verdict)
      .description(
        verdict === 'approve'
          ? 'approve a queued tearline (release officers)'
          : 'deny a queued tearline, saying why',
      )
      .argument('<id>', 'queue item id (see: tearline queue list)')
      .option('--comment <text>', verdict === 'deny' ? 'why (required)' : 'a comment')
      .option('--data <dir>', 'data directory')
      .option('--json', 'print the result as JSON')
      .action(async (id: string, opts: Common & { comment?: string }) => {
        if (verdict === 'deny' && !opts.comment?.trim()) throw usageError('deny needs --comment saying why');
        const hub = await openHubAt(opts);
        try {
          const officer = await requireActor(hub, opts, 'queue.decide');
          const r = await decideQueueItem(
            releaseStoresOf(hub),
            id,
            { name: officer.name, role: officer.role, auth: officer.auth, origin: officer.origin },
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
    .option('--data <dir>', 'data directory')
    .option('--json', 'print as JSON')
    .action(async (partnerName: string, objectId: string, opts: Common & { reason: string }) => {
      const hub = await openHubAt(opts);
      try {
        const actor = await requireActor(hub, opts, 'release.recall');
        const partner = await hub.state.partners.get(partnerName);
        if (!partner) throw new CliError(`no partner named or with id "${partnerName}"`);
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
    .option('--data <dir>', 'data directory')
    .option('--json', 'print as JSON')
    .action(async (opts: Common & { partner?: string; outstanding?: boolean }) => {
      const hub = await openHubAt(opts);
      try {
        await requireActor(hub, opts, 'read');
        const { partners } = hub.state;
        const only = opts.partner ? await partners.get(opts.partner) : undefined;
        if (opts.partner && !only) throw new CliError(`no partner named or with id "${opts.partner}"`);
        const list = (await listRecalls(hub.state, only?.id)).filter(
          (r) => !opts.outstanding || r.acknowledged_at === null,
        );
        if (opts.json) return printJson(list);
        const names = new Map((await partners.list()).map((p) => [p.id, p.name]));
        for (const r of list) {
          const who = names.get(r.partner_id) ?? r.partner_id;
          const ack = r.acknowledged_at ? `acknowledged ${r.acknowledged_at}` : 'NOT acknowledged';
          process.stdout.write(`${r.recalled_at}  ${who}  ${r.original_id} (${r.derived_id})  ${ack}\n`);
        }
      } finally {
        await hub.close();
      }
    });
}
