import { randomUUID } from 'node:crypto';
import type { JsonObject } from '../stix/types.js';
import type { Partner } from '../store/hub/partner-store.js';
import type { Reason } from '../store/hub/release-store.js';
import type { ReleaseCopy, ReleaseDecision } from './release-decision.js';
import { outcomeRow } from './release-outcome.js';
import { type PublishStores, unresolvedReferences } from './release-publish.js';

/** One object a pass may release or queue for one partner, with its tearline copy. */
export interface Candidate {
  version: string;
  author: string | null;
  decision: ReleaseDecision;
  copy: ReleaseCopy;
}

/** Queues one candidate for approval (superseding an open item for an older copy) and records the outcome. */
export async function enqueue(
  stores: PublishStores,
  partner: Partner,
  c: Candidate,
  r: { originalId: string; copy: JsonObject; digest: string; removed: { path: string; rule: string }[] },
  agreementVersion: number,
  fingerprint: string,
  reasons: Reason[],
  at: string,
): Promise<void> {
  const { releases } = stores;
  await stores.sql.transaction(async (tx) => {
    await tx.lock(`queue:${partner.id}:${r.originalId}`);
    const open = await releases.openItem(partner.id, r.originalId);
    if (open && open.fingerprint !== fingerprint)
      await releases.closeItem(open.item_id, 'superseded', at, null);
    if (!open || open.fingerprint !== fingerprint) {
      await releases.insertItem({
        item_id: `queue--${randomUUID()}`,
        partner_id: partner.id,
        object_id: r.originalId,
        object_version: c.version,
        agreement_version: agreementVersion,
        approvals_required: c.decision.decision.approvals_required,
        tearline: JSON.stringify(r.copy),
        tearline_digest: r.digest,
        removed: r.removed,
        reasons,
        fingerprint,
        author: c.author,
        created_at: at,
      });
    }
    await releases.putOutcome({
      ...outcomeRow(
        partner.id,
        r.originalId,
        c.version,
        'queued',
        reasons,
        agreementVersion,
        fingerprint,
        at,
      ),
      reference_id: c.copy.partnerObjectId,
    });
  });
}

/**
 * The largest set of waiting candidates whose unresolved references all lie inside the set: a
 * reference cycle (or several), none of which can go before the others. Anything referring to
 * an object outside the set, or the partner cannot have, drops out until nothing changes.
 */
export async function referenceCycle(
  stores: PublishStores,
  partnerId: string,
  waiting: Candidate[],
): Promise<Candidate[]> {
  const missing = new Map<Candidate, string[]>();
  for (const c of waiting) {
    const own = c.copy.copy.id as string;
    missing.set(
      c,
      (await unresolvedReferences(stores, partnerId, c.copy.copy)).filter((id) => id !== own),
    );
  }
  let set = waiting;
  for (;;) {
    const ids = new Set(set.map((c) => c.copy.copy.id as string));
    const kept = set.filter((c) => (missing.get(c) ?? []).every((id) => ids.has(id)));
    if (kept.length === set.length) return kept;
    set = kept;
  }
}
