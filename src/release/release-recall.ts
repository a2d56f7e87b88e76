import type { EntryOf } from '../ledger/ledger-entry.js';
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
export function recallRelease(
  stores: PublishStores,
  partnerId: string,
  originalId: string,
  reason: string,
  actor: string,
  now: Date,
): RecallResult {
  if (reason.trim() === '')
    return { ok: false, code: 'reason-required', message: 'a recall needs --reason saying why' };
  const { db, releases, feed, ledger } = stores;
  const at = now.toISOString();
  return db
    .transaction((): RecallResult => {
      const recalled: { original_id: string; derived_id: string; release_id: string }[] = [];
      const queue = [originalId];
      const seen = new Set<string>();
      while (queue.length > 0) {
        const id = queue.shift() as string;
        if (seen.has(id)) continue;
        seen.add(id);
        const live = releases.records(partnerId, id).filter((r) => r.recalled_at === null);
        if (live.length === 0) continue;
        const derivedId = (live[0] as (typeof live)[number]).derived_id;
        const done = feed.recall(partnerId, derivedId, now);
        if (!done.ok) continue;
        for (const record of live) {
          releases.markRecalled(record.release_id, at, reason);
          const entry: EntryOf<'recall'> = {
            kind: 'recall',
            time: at,
            actor,
            release_id: record.release_id,
            partner: partnerId,
            reason,
          };
          const appended = ledger.appendEntries([entry]);
          if (!appended.ok) throw new Error(`ledger: ${appended.message}`);
          recalled.push({ original_id: id, derived_id: derivedId, release_id: record.release_id });
        }
        const last = live[live.length - 1] as (typeof live)[number];
        releases.putOutcome({
          partner_id: partnerId,
          object_id: id,
          object_version: last.original_version,
          outcome: 'recalled',
          reasons: [{ code: 'recalled', message: `recalled by ${actor}: ${reason}` }],
          agreement_version: last.agreement_version,
          fingerprint: `recalled:${last.original_version}`,
          decided_at: at,
        });
        // The partner's relationships and sightings that name the recalled object go with it.
        const dependents = db
          .prepare(
            `SELECT DISTINCT original_id FROM releases
              WHERE partner_id = ? AND type IN (${DEPENDENTS.map(() => '?').join(', ')}) AND instr(json, ?) > 0`,
          )
          .pluck()
          .all(partnerId, ...DEPENDENTS, derivedId) as string[];
        queue.push(...dependents);
      }
      if (recalled.length === 0) {
        return {
          ok: false,
          code: 'not-released',
          message: `${originalId} was never released to this partner (or is already recalled)`,
        };
      }
      return { ok: true, recalled };
    })
    .immediate();
}
