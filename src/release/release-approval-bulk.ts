import { createHash } from 'node:crypto';
import type { JsonObject } from '../stix/types.js';
import type { BulkOutcome, CombinedDiff, DiffItem } from '../store/console-shapes.js';
import type { QueueItem } from '../store/hub/release-store.js';
import { type ApprovalResult, decideQueueItem, type Officer, publishIfApproved } from './release-approval.js';
import type { PublishStores } from './release-publish.js';
import { loadQueueEntries, type QueueEntry, type QueueFilter } from './release-queue-view.js';

export type { BulkOutcome, CombinedDiff, DiffItem };

/** Most items one bulk action decides: a report or grouping, or a filter, at real-data scale. */
export const BULK_MAX_ITEMS = 20_000;
/** Decisions written per transaction: each keeps its own checks and ledger entry. */
const BULK_GROUP = 250;

/** What an officer selects: one partner's open items, all of them or those of a group or filter. */
export interface QueueSelection {
  partnerId: string;
  ids?: readonly string[];
  group?: string;
  types?: readonly string[];
  labels?: readonly string[];
}

export function selectionDigest(entries: readonly Pick<QueueEntry, 'id' | 'fingerprint'>[]): string {
  const pairs = entries.map((e) => `${e.id}\u0000${e.fingerprint}`).sort();
  return createHash('sha256').update(pairs.join('\u0001')).digest('hex').slice(0, 16);
}

export type SelectionResult =
  | { ok: true; entries: QueueEntry[] }
  | { ok: false; code: 'selection-empty' | 'selection-too-large'; message: string };

export async function resolveSelection(stores: PublishStores, sel: QueueSelection): Promise<SelectionResult> {
  const filter: QueueFilter = { partnerId: sel.partnerId };
  if (sel.ids) filter.ids = sel.ids;
  if (sel.group !== undefined) filter.group = sel.group;
  if (sel.types) filter.types = sel.types;
  if (sel.labels) filter.labels = sel.labels;
  const entries = await loadQueueEntries(stores.reads, filter, stores.facets);
  if (entries.length === 0)
    return { ok: false, code: 'selection-empty', message: 'no open queue item matches the selection' };
  if (entries.length > BULK_MAX_ITEMS) {
    return {
      ok: false,
      code: 'selection-too-large',
      message: `${entries.length} items match; one action decides at most ${BULK_MAX_ITEMS}: narrow it by group, type or label`,
    };
  }
  return { ok: true, entries };
}

/** The combined tearline diff of a selection, read from the items' stored removals. */
export async function combinedDiff(
  stores: PublishStores,
  entries: readonly QueueEntry[],
): Promise<CombinedDiff> {
  const byRule: Record<string, number> = {};
  const byType: Record<string, number> = {};
  const items: DiffItem[] = [];
  const removedOf = await removalsOf(stores, entries);
  for (const e of entries) {
    const removed = removedOf.get(e.id) ?? [];
    for (const r of removed) byRule[r.rule] = (byRule[r.rule] ?? 0) + 1;
    byType[e.type] = (byType[e.type] ?? 0) + 1;
    items.push({
      id: e.id,
      object_id: e.object_id,
      type: e.type,
      title: e.title,
      removed,
      approvals: e.approvals.filter((a) => a.verdict === 'approve').length,
      approvals_required: e.approvals_required,
    });
  }
  return {
    partner_id: entries[0]?.partner_id ?? '',
    count: entries.length,
    digest: selectionDigest(entries),
    by_rule: byRule,
    by_type: byType,
    items,
  };
}

function removalsOf(
  stores: PublishStores,
  entries: readonly QueueEntry[],
): Promise<Map<string, { path: string; rule: string }[]>> {
  return stores.reads.queueItemRemovals(entries.map((e) => e.id));
}

export type BulkResult =
  | ({ ok: true } & BulkOutcome)
  | {
      ok: false;
      code: 'selection-changed' | 'selection-empty' | 'selection-too-large';
      message: string;
      diff?: CombinedDiff;
    };

/**
 * Decides every item of a selection as the officer would one at a time (decideQueueItem: the
 * same role, author and already-decided checks, one approval or denial and one ledger entry per
 * item, releases as each item reaches its approvals), but only if the selection still has the
 * digest the officer was shown. Approvals count per item and fingerprint, so a change to any one
 * item voids only that item's approvals.
 */
export async function decideSelection(
  stores: PublishStores,
  sel: QueueSelection,
  shownDigest: string,
  officer: Officer,
  verdict: 'approve' | 'deny',
  comment: string | undefined,
  now: Date,
): Promise<BulkResult> {
  const resolved = await resolveSelection(stores, sel);
  if (!resolved.ok) return resolved;
  const digest = selectionDigest(resolved.entries);
  if (digest !== shownDigest) {
    return {
      ok: false,
      code: 'selection-changed',
      message: `the selection changed since it was shown (digest ${shownDigest}, now ${digest}): look at it again before deciding`,
      diff: await combinedDiff(stores, resolved.entries),
    };
  }
  const out: BulkOutcome = { decided: 0, released: 0, approved: 0, pending: 0, denied: 0, refused: [] };
  // Referenced objects first, so relationships and reports find their targets released.
  const entries = [...resolved.entries].sort((a, b) => rank(a) - rank(b));
  for (let i = 0; i < entries.length; i += BULK_GROUP) {
    const group = entries.slice(i, i + BULK_GROUP);
    await stores.sql.transaction(async () => {
      for (const e of group)
        tally(out, e.id, await decideQueueItem(stores, e.id, officer, verdict, comment, now));
    });
  }
  // Items approved before the objects they reference were released go now, if they can.
  if (verdict === 'approve' && out.approved > 0) {
    for (const e of entries) {
      const item = await stores.releases.item(e.id);
      if (item?.state !== 'approved') continue;
      const r = await publishIfApproved(stores, item as QueueItem, now);
      if (r.ok && r.state === 'released') {
        out.approved--;
        out.released++;
      }
    }
  }
  return { ok: true, ...out };
}

function rank(e: QueueEntry): number {
  if (e.type === 'relationship' || e.type === 'sighting') return 1;
  if (e.type === 'report' || e.type === 'note' || e.type === 'opinion' || e.type === 'grouping') return 2;
  return 0;
}

function tally(out: BulkOutcome, id: string, r: ApprovalResult): void {
  if (!r.ok) {
    out.refused.push({ id, code: r.code, message: r.message });
    return;
  }
  out.decided++;
  if (r.state === 'released') out.released++;
  else if (r.state === 'approved') out.approved++;
  else if (r.state === 'denied') out.denied++;
  else out.pending++;
}

/** The copy and the original of one item, for a diff shown on demand. */
export async function itemCopies(
  stores: PublishStores,
  itemId: string,
): Promise<{ tearline: JsonObject; original: JsonObject | null } | undefined> {
  const item = await stores.releases.item(itemId);
  if (!item) return undefined;
  return {
    tearline: JSON.parse(item.tearline) as JsonObject,
    original: (await stores.reads.objectVersionOf(item.object_id, item.object_version)) ?? null,
  };
}
