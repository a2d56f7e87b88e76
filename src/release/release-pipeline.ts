import { createHash, randomUUID } from 'node:crypto';
import { CedarEngine } from '../policy/cedar-engine.js';
import { type Decision, PartnerDecider } from '../policy/decision.js';
import { DecisionMemo } from '../policy/decision-memo.js';
import { addIsoDuration, parseIsoDuration } from '../policy/duration-iso.js';
import { type IntelProjection, projectIntel } from '../policy/intel-projection.js';
import type { OperatorPolicies } from '../policy/operator-policy.js';
import type { TlpLevel } from '../stix/markings-tlp.js';
import type { JsonObject } from '../stix/types.js';
import type { ConditionEvents } from '../store/hub/condition-events.js';
import { loadMarkingClassifier, loadPartnerFacts } from '../store/hub/partner-decisions.js';
import type { Partner } from '../store/hub/partner-store.js';
import type { OutcomeRow, Reason } from '../store/hub/release-store.js';
import { sanitiseBatch } from '../tearline/tearline-batch.js';
import { createSanitiseContext, releasedSetOf } from '../tearline/tearline-context.js';
import type { ForbiddenTermFilter } from '../tearline/tearline-forbidden.js';
import { releasingIdentityIdOf } from '../tearline/tearline-identity.js';
import { BUILT_IN_PROFILES } from '../tearline/tearline-profile.js';
import { publishIfApproved } from './release-approval.js';
import { type PublishStores, publishRelease } from './release-publish.js';

/** What the pipeline reads and writes through: the publish adapters and the partners' conditions. */
export interface PipelineStores extends PublishStores {
  conditions: ConditionEvents;
}

export interface PipelineOptions {
  now: Date;
  actor: string;
  hubSecret: Uint8Array | string;
  partner?: string;
  untaggedTlp?: TlpLevel;
  operator?: Extract<OperatorPolicies, { ok: true }>;
  forbidden?: ForbiddenTermFilter;
}

export interface PipelineCounts {
  released: number;
  queued: number;
  withheld: number;
  waiting: number;
  unchanged: number;
}

export interface PipelineReport {
  at: string;
  partners: ({ partner: string } & PipelineCounts)[];
  totals: PipelineCounts;
}

interface Candidate {
  object: JsonObject;
  version: string;
  author: string | null;
  decision: Decision;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function reasonsOf(d: Decision): Reason[] {
  return d.reasons.map((r) => ({ code: r.code, message: r.message }));
}

function fingerprintOf(...parts: (string | number | null | undefined)[]): string {
  return sha256(JSON.stringify(parts));
}

function zero(): PipelineCounts {
  return { released: 0, queued: 0, withheld: 0, waiting: 0, unchanged: 0 };
}

/**
 * decide -> sanitise -> outcome, for every partner (or one) over the latest version of every
 * object. Idempotent: an outcome whose inputs (object version, agreement version, decision,
 * tearline) are unchanged is left alone, so a second run changes nothing. Releases are written
 * one transaction each (feed row + ids + record + ledger entry), so a crash loses or duplicates
 * nothing: the next run picks up what is not recorded.
 */
export async function runReleasePipeline(
  stores: PipelineStores,
  opts: PipelineOptions,
): Promise<PipelineReport> {
  const { sql, partners: partnerStore } = stores;
  const partners = (opts.partner ? [await partnerStore.get(opts.partner)] : await partnerStore.list()).filter(
    (p): p is Partner => p !== undefined,
  );
  const classify = await loadMarkingClassifier(sql);
  const rows = await sql.all<{ id: string; version: string; imported_by: string | null; json: string }>(
    'SELECT id, version, imported_by, json FROM objects WHERE is_latest ORDER BY added_us',
  );
  const objects = rows.map((r) => ({ ...r, object: JSON.parse(r.json) as JsonObject }));
  const projections: IntelProjection[] = objects.map((o) =>
    projectIntel(o.object, {
      classify,
      ...(opts.untaggedTlp !== undefined && { untaggedTlp: opts.untaggedTlp }),
    }),
  );
  const memo = new DecisionMemo(new CedarEngine());
  const report: PipelineReport = { at: opts.now.toISOString(), partners: [], totals: zero() };
  for (const partner of partners) {
    const counts = await runForPartner(stores, partner, objects, projections, memo, opts);
    report.partners.push({ partner: partner.name, ...counts });
    for (const k of Object.keys(counts) as (keyof PipelineCounts)[]) report.totals[k] += counts[k];
  }
  return report;
}

async function runForPartner(
  stores: PipelineStores,
  partner: Partner,
  objects: { id: string; version: string; imported_by: string | null; object: JsonObject }[],
  projections: IntelProjection[],
  memo: DecisionMemo,
  opts: PipelineOptions,
): Promise<PipelineCounts> {
  const counts = zero();
  const { releases } = stores;
  const now = opts.now;
  const facts = await loadPartnerFacts(stores, partner, now.getTime(), opts.operator);
  // Every outcome of the partner in one query: one per object would be a round trip each on PostgreSQL.
  const outcomes: Map<string, OutcomeRow> = await releases.outcomesOfPartner(partner.id);
  const withheld: OutcomeRow[] = [];
  const decider = new PartnerDecider(facts, memo);
  const agreement = facts.agreement;
  const candidates: Candidate[] = [];
  const at = now.toISOString();

  objects.forEach((o, i) => {
    const decision = decider.decide(projections[i] as IntelProjection);
    if (decision.outcome === 'withhold') {
      const fp = fingerprintOf(
        'withhold',
        o.version,
        agreement?.version,
        JSON.stringify(reasonsOf(decision)),
      );
      const prev = outcomes.get(o.id);
      const settled = prev?.outcome === 'released' || prev?.outcome === 'recalled';
      if (prev?.fingerprint === fp || (settled && prev.object_version === o.version)) {
        counts.unchanged++;
        return;
      }
      withheld.push({
        partner_id: partner.id,
        object_id: o.id,
        object_version: o.version,
        outcome: 'withheld',
        reasons: reasonsOf(decision),
        agreement_version: agreement?.version ?? null,
        fingerprint: fp,
        decided_at: at,
      });
      counts.withheld++;
      return;
    }
    candidates.push({ object: o.object, version: o.version, author: o.imported_by, decision });
  });
  await putOutcomes(stores, withheld);
  if (candidates.length === 0 || !agreement) return counts;

  const profile = BUILT_IN_PROFILES.get(agreement.body.sanitisation);
  const ctx = createSanitiseContext({
    hubSecret: opts.hubSecret,
    partnerId: partner.id,
    ceiling: agreement.body.tlp_ceiling,
    releasingIdentityId: releasingIdentityIdOf(stores.hubName),
    // An agreement naming a profile the hub does not have gets the strictest one (fail closed).
    profile: profile ?? (BUILT_IN_PROFILES.get('strict') as NonNullable<typeof profile>),
    ...(opts.forbidden && { forbidden: opts.forbidden }),
  });
  const already = releasedSetOf(new Map());
  const batch = sanitiseBatch(
    candidates.map((c) => c.object),
    ctx,
    already,
  );
  const byId = new Map(candidates.map((c) => [c.object.id as string, c]));
  const embargo = agreement.body.embargo ? parseIsoDuration(agreement.body.embargo) : undefined;
  const visibleFrom = new Date(embargo ? addIsoDuration(now.getTime(), embargo) : now.getTime());

  const tearlineWithheld: OutcomeRow[] = [];
  for (const w of batch.withheld) {
    const c = byId.get(w.originalId) as Candidate;
    const reasons = [{ code: w.code, message: w.message }];
    const fp = fingerprintOf('tearline-withheld', c.version, agreement.version, w.code);
    const prev = outcomes.get(w.originalId);
    if (prev?.fingerprint === fp) {
      counts.unchanged++;
      continue;
    }
    tearlineWithheld.push({
      partner_id: partner.id,
      object_id: w.originalId,
      object_version: c.version,
      outcome: 'withheld',
      reasons,
      agreement_version: agreement.version,
      fingerprint: fp,
      decided_at: at,
    });
    counts.withheld++;
  }
  await putOutcomes(stores, tearlineWithheld);

  // Referenced objects first; what still waits on a reference is tried again after the others.
  let pending = batch.released;
  for (let pass = 0; pending.length > 0 && pass < 50; pass++) {
    const next: typeof pending = [];
    for (const r of pending) {
      const c = byId.get(r.originalId) as Candidate;
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
      // The release and its outcome commit together: a crash leaves neither or both.
      const published = await stores.sql.transaction(async () => {
        const done = await publishRelease(
          stores,
          {
            partnerId: partner.id,
            originalId: r.originalId,
            originalVersion: c.version,
            agreementVersion: agreement.version,
            tearline: r.tearline,
            digest: r.digest,
            derivedIds: [{ derivedId: r.partnerObjectId, originalId: r.originalId }],
            reasons,
            approvals: [],
            visibleFrom,
            actor: opts.actor,
          },
          now,
        );
        if (!done.ok && done.code === 'waiting-for-references') return done;
        await releases.putOutcome({
          partner_id: partner.id,
          object_id: r.originalId,
          object_version: c.version,
          outcome: 'released',
          reasons: done.ok ? reasons : [{ code: done.code, message: done.message }],
          agreement_version: agreement.version,
          fingerprint: fp,
          decided_at: at,
        });
        return done;
      });
      if (!published.ok && published.code === 'waiting-for-references') {
        next.push(r);
        continue;
      }
      counts.released++;
    }
    if (next.length === pending.length) {
      const waiting: OutcomeRow[] = [];
      for (const r of next) {
        const c = byId.get(r.originalId) as Candidate;
        waiting.push({
          partner_id: partner.id,
          object_id: r.originalId,
          object_version: c.version,
          outcome: 'waiting',
          reasons: [
            {
              code: 'waiting-for-references',
              message: 'waits until the partner has the objects it references',
            },
          ],
          agreement_version: agreement.version,
          fingerprint: 'waiting',
          decided_at: at,
        });
        counts.waiting++;
      }
      await putOutcomes(stores, waiting);
      break;
    }
    pending = next;
  }
  // Approved items that waited for the objects they reference may go now.
  for (const item of await releases.openItems(partner.id)) {
    if (item.state !== 'approved') continue;
    const r = await publishIfApproved(stores, item, now);
    if (r.ok && r.state === 'released') counts.released++;
  }
  return counts;
}

/** Outcomes of one step in one transaction: one commit, not one per object. */
async function putOutcomes(stores: PipelineStores, rows: readonly OutcomeRow[]): Promise<void> {
  if (rows.length === 0) return;
  await stores.sql.transaction(async () => {
    for (const row of rows) await stores.releases.putOutcome(row);
  });
}

async function enqueue(
  stores: PipelineStores,
  partner: Partner,
  c: Candidate,
  r: { originalId: string; tearline: JsonObject; digest: string; removed: { path: string; rule: string }[] },
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
        approvals_required: c.decision.approvals_required,
        tearline: JSON.stringify(r.tearline),
        tearline_digest: r.digest,
        removed: r.removed,
        reasons,
        fingerprint,
        author: c.author,
        created_at: at,
      });
    }
    await releases.putOutcome({
      partner_id: partner.id,
      object_id: r.originalId,
      object_version: c.version,
      outcome: 'queued',
      reasons,
      agreement_version: agreementVersion,
      fingerprint,
      decided_at: at,
    });
  });
}
