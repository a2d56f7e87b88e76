import { addIsoDuration, parseIsoDuration } from '../policy/duration-iso.js';
import type { Partner } from '../store/hub/partner-store.js';
import type { OutcomeRow } from '../store/hub/release-store.js';
import { publishIfApproved } from './release-approval.js';
import type { OutcomeKeys } from './release-decide-step.js';
import type { ReleaseTerms } from './release-decision.js';
import { fingerprintOf, outcomeRow, type PipelineCounts, reasonsOf, zeroCounts } from './release-outcome.js';
import { type Candidate, enqueue, referenceCycle } from './release-pipeline-steps.js';
import { type PublishResult, type PublishStores, publishRelease } from './release-publish.js';

/** Items written per transaction (see publishStep). */
const WRITE_GROUP = 250;

type Agreement = NonNullable<ReleaseTerms['decider']['facts']['agreement']>;

/**
 * Releases or queues one partner's candidates under its agreement and records each outcome.
 * Referenced objects first; what still waits on a reference is tried again after the others.
 * Items are written in groups, one transaction each: every item's release (or queue entry) and
 * its outcome still commit together, and a crash loses or duplicates nothing (the next pass
 * picks up what is not recorded), at one commit per group instead of one per item.
 */
export async function publishStep(
  stores: PublishStores,
  partner: Partner,
  agreement: Agreement,
  candidates: readonly Candidate[],
  outcomes: OutcomeKeys,
  opts: { now: Date; actor: string },
): Promise<PipelineCounts> {
  const counts = zeroCounts();
  const { releases } = stores;
  const { now } = opts;
  const at = now.toISOString();
  const embargo = agreement.body.embargo ? parseIsoDuration(agreement.body.embargo) : undefined;
  const visibleFrom = new Date(embargo ? addIsoDuration(now.getTime(), embargo) : now.getTime());

  // One candidate's release (members of a reference cycle name each other in `coReleased`) and
  // its outcome, in the caller's transaction.
  const publish = (c: Candidate, coReleased?: ReadonlySet<string>) =>
    publishRelease(
      stores,
      {
        partnerId: partner.id,
        originalId: c.decision.object_id,
        originalVersion: c.version,
        agreementVersion: agreement.version,
        tearline: c.copy.copy,
        digest: c.copy.digest,
        derivedIds: [{ derivedId: c.copy.partnerObjectId, originalId: c.decision.object_id }],
        reasons: reasonsOf(c.decision),
        approvals: [],
        visibleFrom,
        actor: opts.actor,
        ...(coReleased && { coReleased }),
      },
      now,
    );
  const recordReleased = async (c: Candidate, done: PublishResult) => {
    const fp = fingerprintOf(c.decision.outcome, c.version, agreement.version, c.copy.digest);
    const reasons = done.ok ? reasonsOf(c.decision) : [{ code: done.code, message: done.message }];
    await releases.putOutcome({
      ...outcomeRow(
        partner.id,
        c.decision.object_id,
        c.version,
        'released',
        reasons,
        agreement.version,
        fp,
        at,
      ),
      reference_id: c.copy.partnerObjectId,
    });
    counts.released++;
  };
  let pending = candidates;
  for (let pass = 0; pending.length > 0 && pass < 50; pass++) {
    const next: Candidate[] = [];
    for (let from = 0; from < pending.length; from += WRITE_GROUP) {
      const group = pending.slice(from, from + WRITE_GROUP);
      await stores.sql.transaction(async () => {
        for (const c of group) {
          const r = { originalId: c.decision.object_id, ...c.copy };
          const fp = fingerprintOf(c.decision.outcome, c.version, agreement.version, r.digest);
          const prev = outcomes.get(r.originalId);
          const settled =
            prev?.outcome === 'released' || prev?.outcome === 'recalled' || prev?.outcome === 'denied';
          if (prev?.fingerprint === fp || (settled && prev.object_version === c.version)) {
            counts.unchanged++;
            continue;
          }
          const reasons = reasonsOf(c.decision);
          if (c.decision.outcome === 'needs-approval') {
            await enqueue(stores, partner, c, r, agreement.version, fp, reasons, at);
            counts.queued++;
            continue;
          }
          const done = await publish(c);
          if (!done.ok && done.code === 'waiting-for-references') {
            next.push(c);
            continue;
          }
          await recordReleased(c, done);
        }
      });
    }
    if (next.length === pending.length) {
      // No progress: what waits only on each other (a reference cycle) goes out together.
      const cycle = await referenceCycle(stores, partner.id, next);
      if (cycle.length > 0) {
        const ids = new Set(cycle.map((c) => c.copy.copy.id as string));
        await stores.sql.transaction(async () => {
          for (const c of cycle) await recordReleased(c, await publish(c, ids));
        });
        pending = next.filter((c) => !cycle.includes(c));
        continue;
      }
      const waitingReasons = [
        { code: 'waiting-for-references', message: 'waits until the partner has the objects it references' },
      ];
      const waiting = next.map((c) => ({
        ...outcomeRow(
          partner.id,
          c.decision.object_id,
          c.version,
          'waiting',
          waitingReasons,
          agreement.version,
          'waiting',
          at,
        ),
        reference_id: c.copy.partnerObjectId,
      }));
      counts.waiting += waiting.length;
      await putOutcomes(stores, waiting);
      break;
    }
    pending = next;
  }
  return counts;
}

/** Approved items that waited for the objects they reference may go now; how many went. */
export async function publishApproved(stores: PublishStores, partner: Partner, now: Date): Promise<number> {
  let n = 0;
  for (const item of await stores.releases.approvedItems(partner.id)) {
    const r = await publishIfApproved(stores, item, now);
    if (r.ok && r.state === 'released') n++;
  }
  return n;
}

/** Outcomes of one step in one transaction: one commit, not one per object. */
export async function putOutcomes(stores: PublishStores, rows: readonly OutcomeRow[]): Promise<void> {
  if (rows.length === 0) return;
  await stores.sql.transaction(() => stores.releases.putOutcomes(rows));
}
