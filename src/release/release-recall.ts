import type { EntryOf } from '../ledger/ledger-entry.js';
import type { RecallReads } from '../store/read-ports.js';
import { outcomeRow } from './release-outcome.js';
import type { PublishStores } from './release-publish.js';

export type RecallResult =
  | { ok: true; recalled: { original_id: string; derived_id: string; release_id: string }[] }
  | { ok: false; code: 'not-released' | 'reason-required'; message: string };

const DEPENDENTS = ['relationship', 'sighting'];

/**
 * Revokes what a partner was given of an object: the feed shows a new version with
 * `revoked: true`, the release record says when and why, and the ledger records it. The
 * partner's relationships and sightings that reference it are recalled with it.
 */
export async function recallRelease(
  stores: PublishStores,
  partnerId: string,
  originalId: string,
  reason: string,
  actor: string,
  now: Date,
): Promise<RecallResult> {
  if (reason.trim() === '')
    return { ok: false, code: 'reason-required', message: 'a recall needs --reason saying why' };
  const { sql, releases, feed, reads } = stores;
  const at = now.toISOString();
  return sql.transaction(async (tx): Promise<RecallResult> => {
    const recalled: { original_id: string; derived_id: string; release_id: string }[] = [];
    const queue = [originalId];
    const seen = new Set<string>();
    while (queue.length > 0) {
      const id = queue.shift() as string;
      if (seen.has(id)) continue;
      seen.add(id);
      const live = (await releases.records(partnerId, id)).filter((r) => r.recalled_at === null);
      if (live.length === 0) continue;
      const derivedId = (live[0] as (typeof live)[number]).derived_id;
      const done = await feed.recall(partnerId, derivedId, now);
      if (!done.ok) continue;
      for (const record of live) {
        await releases.markRecalled(record.release_id, at, reason);
        const entry: EntryOf<'recall'> = {
          kind: 'recall',
          time: at,
          actor,
          release_id: record.release_id,
          partner: partnerId,
          reason,
        };
        const appended = await tx.appendLedger([entry]);
        if (!appended.ok) throw new Error(`ledger: ${appended.message}`);
        recalled.push({ original_id: id, derived_id: derivedId, release_id: record.release_id });
      }
      const last = live[live.length - 1] as (typeof live)[number];
      const why = [{ code: 'recalled', message: `recalled by ${actor}: ${reason}` }];
      const version = last.original_version;
      await releases.putOutcome(
        outcomeRow(
          partnerId,
          id,
          version,
          'recalled',
          why,
          last.agreement_version,
          `recalled:${version}`,
          at,
        ),
      );
      // The partner's relationships and sightings that name the recalled object go with it.
      queue.push(...new Set(await reads.feedOriginalsNaming(partnerId, DEPENDENTS, derivedId)));
    }
    if (recalled.length === 0) {
      return {
        ok: false,
        code: 'not-released',
        message: `${originalId} was never released to this partner (or is already recalled)`,
      };
    }
    return { ok: true, recalled };
  });
}

export interface RecallStatus {
  partner_id: string;
  release_id: string;
  original_id: string;
  derived_id: string;
  recalled_at: string;
  reason: string;
  acknowledged_at: string | null;
}

/**
 * Recalls and whether the partner acknowledged each: a STIX note it submitted after the recall
 * whose object_refs name the revoked (derived) id.
 */
export async function listRecalls(
  stores: { reads: RecallReads },
  partnerId?: string,
): Promise<RecallStatus[]> {
  const rows = await stores.reads.recalledRecords(partnerId);
  const out: RecallStatus[] = [];
  for (const r of rows) {
    const since = Date.parse(r.recalled_at) * 1000;
    const notes = await stores.reads.submittedNotesNaming(r.partner_id, since, r.derived_id);
    const ack = notes.find((n) => {
      const refs = n.note.object_refs;
      return Array.isArray(refs) && refs.includes(r.derived_id);
    });
    out.push({
      partner_id: r.partner_id,
      release_id: r.release_id,
      original_id: r.original_id,
      derived_id: r.derived_id,
      recalled_at: r.recalled_at,
      reason: r.recall_reason,
      acknowledged_at: ack ? new Date(Math.floor(ack.pos_us / 1000)).toISOString() : null,
    });
  }
  return out;
}
