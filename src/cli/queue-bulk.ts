import type { Hub } from '../app/hub.js';
import { releaseStoresOf } from '../app/release-stores.js';
import type { Officer } from '../release/release-approval.js';
import {
  type CombinedDiff,
  combinedDiff,
  decideSelection,
  type QueueSelection,
  resolveSelection,
} from '../release/release-approval-bulk.js';
import { CliError, usageError } from './cli-error.js';
import { requirePartner } from './cli-hub.js';
import { printJson } from './cli-output.js';
import { parseQueueFilter } from './queue-filter.js';

/** How `queue approve|deny` names a selection of one partner's queue. */
export interface BulkOptions {
  partner?: string;
  all?: boolean;
  group?: string;
  report?: string;
  type?: string;
  label?: string;
  /** KEY=VALUE clauses over type, label, group, report (queue-filter.ts). */
  filter?: string;
  confirm?: string;
  comment?: string;
  json?: boolean;
}

export function bulkOptionsGiven(o: BulkOptions): boolean {
  return [o.partner, o.all, o.group, o.report, o.type, o.label, o.filter, o.confirm].some(
    (v) => v !== undefined,
  );
}

/**
 * A selection decided in two steps: without --confirm it prints the combined tearline diff and its
 * digest; with --confirm DIGEST it decides exactly those items, or nothing if any changed.
 */
export async function decideBulk(
  hub: Hub,
  officer: Officer,
  verdict: 'approve' | 'deny',
  o: BulkOptions,
): Promise<void> {
  if (o.partner === undefined) throw usageError("a selection needs --partner: one partner's queue at a time");
  const { types, labels, group } = parseQueueFilter(o.filter, o);
  if (!o.all && group === undefined && !types && !labels)
    throw usageError(
      'say what to select: --all, --group ID, --report ID, --type T, --label L or --filter KEY=VALUE',
    );
  const partner = await requirePartner(hub.state, o.partner);
  const sel: QueueSelection = {
    partnerId: partner.id,
    ...(group !== undefined && { group }),
    ...(types && { types }),
    ...(labels && { labels }),
  };
  const stores = releaseStoresOf(hub);
  if (o.confirm === undefined) {
    const resolved = await resolveSelection(stores, sel);
    if (!resolved.ok) throw new CliError(resolved.message);
    const diff = await combinedDiff(stores, resolved.entries);
    if (o.json) return printJson(diff);
    process.stdout.write(formatDiff(diff, partner.name, verdict));
    return;
  }
  const r = await decideSelection(stores, sel, o.confirm, officer, verdict, o.comment, hub.clock.now());
  if (!r.ok) {
    if (r.diff && !o.json) process.stderr.write(formatDiff(r.diff, partner.name, verdict));
    throw new CliError(r.message);
  }
  await hub.checkpointIfDue();
  if (o.json) return printJson(r);
  process.stdout.write(
    `${partner.name}: ${r.decided} decided by ${officer.name}: ${r.released} released, ${r.approved} approved and waiting for what they reference, ` +
      `${r.pending} waiting for another officer, ${r.denied} denied; ${r.refused.length} refused\n`,
  );
  for (const x of r.refused.slice(0, 20)) process.stdout.write(`  ${x.id}: ${x.message}\n`);
  if (r.refused.length > 20) process.stdout.write(`  … and ${r.refused.length - 20} more refused\n`);
}

function formatDiff(diff: CombinedDiff, partner: string, verdict: string): string {
  const lines = [
    `${diff.count} item(s) of ${partner}'s queue; digest ${diff.digest}`,
    `by type: ${Object.entries(diff.by_type)
      .sort((a, b) => b[1] - a[1])
      .map(([t, n]) => `${t} ${n}`)
      .join(', ')}`,
    `removed from the copies: ${
      Object.entries(diff.by_rule)
        .sort((a, b) => b[1] - a[1])
        .map(([rule, n]) => `${rule} ${n}`)
        .join(', ') || 'nothing'
    }`,
  ];
  for (const i of diff.items) {
    lines.push(`  ${i.id}  ${i.type}  ${i.title}  (${i.approvals}/${i.approvals_required} approvals)`);
    for (const r of i.removed) lines.push(`      - ${r.path} (${r.rule})`);
  }
  lines.push(`to ${verdict} exactly these, run again with --confirm ${diff.digest}`);
  return `${lines.join('\n')}\n`;
}
