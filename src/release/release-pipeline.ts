import { createHash } from 'node:crypto';
import type { DecisionMemo } from '../policy/decision-memo.js';
import { addIsoDuration, parseIsoDuration } from '../policy/duration-iso.js';
import type { ConditionEvents } from '../store/hub/condition-events.js';
import { recordOutcomeCounts } from '../store/hub/outcome-history.js';
import type { Partner } from '../store/hub/partner-store.js';
import { type MemberSet, ReleasePassMembers } from '../store/hub/release-pass-members.js';
import {
  HUB_SCOPE,
  queueObjectsClosedSince,
  ReleasePassStates,
  readChangeStamp,
} from '../store/hub/release-pass-state.js';
import type { OutcomeRow, Reason } from '../store/hub/release-store.js';
import { publishIfApproved } from './release-approval.js';
import {
  type DecisionTally,
  decideReleases,
  emptyTally,
  type ReleaseDecision,
  type ReleaseTerms,
  tallyDecision,
} from './release-decision.js';
import {
  catalogsKeyOf,
  earlierOf,
  formatPassKey,
  loadClosure,
  loadEveryObject,
  objectsChangedBetween,
  type PassBatch,
  parsePassKey,
  partnerPassKey,
  type SetChange,
  setChange,
  withDependents,
} from './release-pass-plan.js';
import { type Candidate, enqueue, referenceCycle } from './release-pipeline-steps.js';
import { defaultHubPolicy, type HubPolicy } from './release-policy.js';
import { type PublishResult, type PublishStores, publishRelease } from './release-publish.js';
import { DecisionRound } from './release-terms.js';

/** What the pipeline reads and writes through: the publish adapters and the partners' conditions. */
export interface PipelineStores extends PublishStores {
  conditions: ConditionEvents;
}

export interface PipelineOptions {
  now: Date;
  actor: string;
  hubSecret: Uint8Array | string;
  partner?: string;
  /** The hub's release settings (untagged_tlp, operator policies, forbidden terms, profiles); none by default. */
  policy?: HubPolicy;
  /** Shared across passes by a serving hub, so unchanged projections cost no Cedar call. */
  memo?: DecisionMemo;
  /**
   * The digest of the hub settings `policy` was read from (hub-policy-load.ts). Without it a pass
   * cannot tell whether the settings changed since the last one, so it decides everything.
   */
  settingsDigest?: string;
  /** Decide every object for every partner, whatever changed (`release run --full`). */
  full?: boolean;
}

/** What a pass did: released, queued or withheld now, still waiting, or left as it was. */
export interface PipelineCounts {
  released: number;
  queued: number;
  withheld: number;
  waiting: number;
  unchanged: number;
}

/** One partner's pass: what was done, and the decisions by outcome and reason (as `decide` counts them). */
export type PipelinePartner = { partner: string } & PipelineCounts & { decisions: DecisionTally };

export interface PipelineReport {
  at: string;
  /**
   * `idle`: nothing changed, nothing decided; `incremental`: only what changed was decided (the
   * decision counts cover those objects only); `full`: every object for at least one partner.
   */
  mode: 'idle' | 'incremental' | 'full';
  /** Object decisions made, summed over partners. */
  decided: number;
  partners: PipelinePartner[];
  totals: PipelineCounts & { decisions: DecisionTally };
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Items written per transaction (see the publishing loop). */
const WRITE_GROUP = 250;

// Withhold reasons are shared by every decision with the same verdict: hashed once each.
const reasonHashes = new WeakMap<readonly object[], string>();
function reasonsHash(d: ReleaseDecision): string {
  let h = reasonHashes.get(d.reasons);
  if (h === undefined) {
    h = sha256(JSON.stringify(reasonsOf(d)));
    reasonHashes.set(d.reasons, h);
  }
  return h;
}

// Decisions with the same verdict share one reasons array: their stored form is made once.
const storedReasons = new WeakMap<readonly object[], Reason[]>();
function reasonsOf(d: { reasons: readonly { code: string; message: string }[] }): Reason[] {
  let r = storedReasons.get(d.reasons);
  if (!r) {
    r = d.reasons.map((x) => ({ code: x.code, message: x.message }));
    storedReasons.set(d.reasons, r);
  }
  return r;
}

function fingerprintOf(...parts: (string | number | null | undefined)[]): string {
  return sha256(JSON.stringify(parts));
}

function zero(): PipelineCounts {
  return { released: 0, queued: 0, withheld: 0, waiting: 0, unchanged: 0 };
}

/**
 * decide -> sanitise -> outcome, for every partner (or one), through the one decision
 * (release-decision.ts). Idempotent: an outcome whose inputs (object version, agreement version,
 * decision, tearline) are unchanged is left alone, so a second run changes nothing. Releases are
 * written in groups, one transaction each (feed row + ids + record + ledger entry per item), so a
 * crash loses or duplicates nothing: the next run picks up what is not recorded.
 *
 * Incremental (release-pass-plan.ts): with the settings' digest given, a pass starts from where
 * the last one stopped (release_pass_state). Nothing changed (the change stamp and the settings are
 * as then, and no partner's terms are due to change with time): two reads and nothing else. A
 * partner whose terms are unchanged gets only the objects stored since its cursor, those that
 * depend on them, and its waiting ones decided; a partner whose terms changed (agreement,
 * condition, scope sets, settings, marking catalogue, or time moved past a transition), every
 * object. `full`, a missing cursor or no digest: every object for every partner, as before.
 */
export async function runReleasePipeline(
  stores: PipelineStores,
  opts: PipelineOptions,
): Promise<PipelineReport> {
  const { sql, partners: partnerStore } = stores;
  const passStates = new ReleasePassStates(sql);
  // Read before anything else: a change made while this pass runs moves the stamp past it.
  const stamp = await readChangeStamp(sql);
  const settingsKey = opts.settingsDigest;
  const hubKey = `${stamp.key}|${settingsKey ?? ''}`;
  const saved = await passStates.all();
  const report: PipelineReport = {
    at: opts.now.toISOString(),
    mode: 'idle',
    decided: 0,
    partners: [],
    totals: { ...zero(), decisions: emptyTally() },
  };
  const hubRow = saved.get(HUB_SCOPE);
  if (
    !opts.full &&
    opts.partner === undefined &&
    settingsKey !== undefined &&
    hubRow?.state_key === hubKey &&
    !isDue(hubRow.changes_at, opts.now)
  )
    return report;
  const partners = (opts.partner ? [await partnerStore.get(opts.partner)] : await partnerStore.list()).filter(
    (p): p is Partner => p !== undefined,
  );
  const round = await DecisionRound.open(
    { stores, policy: opts.policy ?? defaultHubPolicy(), hubSecret: opts.hubSecret, hubName: stores.hubName },
    opts.now,
    opts.memo,
  );
  // Submitters' consent decides what others may get of their promoted submissions: a change
  // re-decides every partner, as a change to the marking catalogue does.
  const catalogsKey = sha256(
    JSON.stringify([
      catalogsKeyOf(round.catalogs),
      [...round.submitters].sort(([a], [b]) => (a < b ? -1 : 1)),
    ]),
  );
  let every: PassBatch | undefined;
  // Objects changed since a cursor, with their dependents: partners mostly share one cursor.
  const changedSince = new Map<number, Promise<{ ids: Set<string>; batch: PassBatch }>>();
  let nextDue: string | undefined;
  let anyFull = false;
  for (const partner of partners) {
    const terms = await round.termsFor(partner);
    const key = partnerPassKey(settingsKey ?? '', catalogsKey, terms);
    const row = saved.get(partner.id);
    const before = parsePassKey(row?.state_key);
    // The scope sets that changed since the last pass, as the store holds them: what entered or
    // left is re-decided (with what depends on it), the rest of the partner's objects are not.
    const moved = await scopeSetChanges(sql, partner.id, terms, key, before);
    let batch: PassBatch;
    let outcomes: OutcomeKeys;
    if (opts.full || settingsKey === undefined || !row || before?.terms !== key.terms) {
      anyFull = true;
      every ??= await loadEveryObject(sql, round);
      batch = every;
      // Every outcome of the partner in one query: one per object would be a round trip each on PostgreSQL.
      outcomes = await stores.releases.outcomeKeysOfPartner(partner.id);
    } else {
      let changed = changedSince.get(row.object_cursor);
      if (!changed) {
        changed = objectsChangedBetween(sql, row.object_cursor, stamp.objectsUs)
          .then((ids) => withDependents(sql, ids))
          .then(async (ids) => ({ ids, batch: await loadClosure(sql, round, ids) }));
        changedSince.set(row.object_cursor, changed);
      }
      const shared = await changed;
      const movedIds = moved.flatMap((m) => [...m.entered, ...m.left]);
      const extra = [
        ...(movedIds.length === 0 ? [] : await withDependents(sql, movedIds)),
        ...(await stores.releases.waitingObjectIds(partner.id)),
        ...(await queueObjectsClosedSince(sql, partner.id, verdictsSince(row.updated_at))),
      ].filter((id) => !shared.ids.has(id));
      // Read and projected once for every partner with this cursor; a partner's own items add to it.
      batch = extra.length === 0 ? shared.batch : await loadClosure(sql, round, [...shared.ids, ...extra]);
      outcomes = await stores.releases.outcomeKeysOf(partner.id, [...batch.stored.keys()]);
    }
    report.decided += batch.inputs.length;
    const done = await runForPartner(stores, terms, partner, batch, outcomes, opts);
    // After the partner's writes, with the sets its key names: a crash before this commit repeats
    // the partner's pass (idempotent) from the sets and key as they were.
    await sql.transaction(async (tx) => {
      const members = new ReleasePassMembers(tx);
      for (const m of moved) await members.change(partner.id, m.set, m.entered, m.left);
      await new ReleasePassStates(tx).put({
        scope: partner.id,
        state_key: formatPassKey(key),
        object_cursor: stamp.objectsUs,
        changes_at: terms.decider.changesAt ?? null,
        updated_at: opts.now.toISOString(),
      });
      // What the partner has out, waiting and held back as this pass leaves it (overseers' chart).
      await recordOutcomeCounts(tx, partner.id, opts.now.toISOString());
    });
    nextDue = earlierOf(nextDue, terms.decider.changesAt);
    report.partners.push({ partner: partner.name, ...done });
    const t = report.totals;
    for (const k of Object.keys(zero()) as (keyof PipelineCounts)[]) t[k] += done[k];
    for (const [k, n] of Object.entries(done.decisions.counts))
      t.decisions.counts[k as keyof DecisionTally['counts']] += n;
    for (const [k, n] of Object.entries(done.decisions.reasons))
      t.decisions.reasons[k] = (t.decisions.reasons[k] ?? 0) + n;
  }
  if (opts.partner === undefined) {
    await passStates.put({
      scope: HUB_SCOPE,
      state_key: hubKey,
      object_cursor: stamp.objectsUs,
      changes_at: nextDue ?? null,
      updated_at: opts.now.toISOString(),
    });
  }
  report.mode = anyFull ? 'full' : 'incremental';
  return report;
}

/**
 * Each scope set whose key moved since the partner's last pass (or is unknown), with what entered
 * and left it against the stored set. A set whose key is unchanged is as stored: nothing to read.
 */
async function scopeSetChanges(
  sql: PipelineStores['sql'],
  partnerId: string,
  terms: ReleaseTerms,
  key: ReturnType<typeof partnerPassKey>,
  before: ReturnType<typeof parsePassKey>,
): Promise<({ set: MemberSet } & SetChange)[]> {
  const out: ({ set: MemberSet } & SetChange)[] = [];
  const members = new ReleasePassMembers(sql);
  for (const set of ['neighbourhood', 'locations'] as const) {
    if (before !== undefined && before[set] === key[set]) continue;
    const change = setChange(await members.of(partnerId, set), terms.decider.facts[set] ?? new Set());
    if (change.entered.length > 0 || change.left.length > 0) out.push({ set, ...change });
  }
  return out;
}

/**
 * Queue verdicts are looked for from a margin before the last pass: one whose transaction began
 * before that pass's instant and committed after it read the store is still found.
 */
const VERDICT_MARGIN_MS = 10 * 60_000;
function verdictsSince(lastPassAt: string): string {
  const ms = Date.parse(lastPassAt);
  return Number.isNaN(ms) ? '' : new Date(ms - VERDICT_MARGIN_MS).toISOString();
}

function isDue(changesAt: string | null, now: Date): boolean {
  return changesAt !== null && Date.parse(changesAt) <= now.getTime();
}

type OutcomeKeys = ReadonlyMap<string, Pick<OutcomeRow, 'outcome' | 'object_version' | 'fingerprint'>>;

async function runForPartner(
  stores: PipelineStores,
  terms: ReleaseTerms,
  partner: Partner,
  batch: PassBatch,
  outcomes: OutcomeKeys,
  opts: PipelineOptions,
): Promise<PipelineCounts & { decisions: DecisionTally }> {
  const counts = zero();
  const tally = emptyTally();
  const { releases } = stores;
  const now = opts.now;
  const { inputs, stored } = batch;
  const withheld: OutcomeRow[] = [];
  const agreement = terms.decider.facts.agreement;
  const candidates: Candidate[] = [];
  const at = now.toISOString();

  for (const d of decideReleases(inputs, terms)) {
    tallyDecision(tally, d);
    const o = stored.get(d.object_id) as { version: string; author: string | null };
    if (d.outcome === 'withhold' || !d.tearline) {
      // The policy's and the tearline's withholds keep their own fingerprints, as recorded before.
      const fp =
        d.stage === 'policy'
          ? fingerprintOf('withhold', o.version, agreement?.version, reasonsHash(d))
          : fingerprintOf('tearline-withheld', o.version, agreement?.version, d.reasons[0]?.code);
      const prev = outcomes.get(d.object_id);
      const settled = prev?.outcome === 'released' || prev?.outcome === 'recalled';
      if (
        prev?.fingerprint === fp ||
        (d.stage === 'policy' && settled && prev.object_version === o.version)
      ) {
        counts.unchanged++;
        continue;
      }
      withheld.push({
        partner_id: partner.id,
        object_id: d.object_id,
        object_version: o.version,
        outcome: 'withheld',
        reasons: reasonsOf(d),
        agreement_version: agreement?.version ?? null,
        fingerprint: fp,
        decided_at: at,
      });
      counts.withheld++;
      continue;
    }
    candidates.push({ version: o.version, author: o.author, decision: d, copy: d.tearline });
  }
  await putOutcomes(stores, withheld);
  if (candidates.length === 0 || !agreement) {
    counts.released += await publishApproved(stores, partner, now);
    return { ...counts, decisions: tally };
  }

  const embargo = agreement.body.embargo ? parseIsoDuration(agreement.body.embargo) : undefined;
  const visibleFrom = new Date(embargo ? addIsoDuration(now.getTime(), embargo) : now.getTime());

  // Referenced objects first; what still waits on a reference is tried again after the others.
  // Items are written in groups, one transaction each: every item's release (or queue entry) and
  // its outcome still commit together, and a crash loses or duplicates nothing (the next pass
  // picks up what is not recorded), at one commit per group instead of one per item.
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
    await releases.putOutcome({
      partner_id: partner.id,
      object_id: c.decision.object_id,
      object_version: c.version,
      outcome: 'released',
      reasons: done.ok ? reasonsOf(c.decision) : [{ code: done.code, message: done.message }],
      agreement_version: agreement.version,
      fingerprint: fingerprintOf(c.decision.outcome, c.version, agreement.version, c.copy.digest),
      decided_at: at,
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
      const waiting: OutcomeRow[] = [];
      for (const c of next) {
        waiting.push({
          partner_id: partner.id,
          object_id: c.decision.object_id,
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
  counts.released += await publishApproved(stores, partner, now);
  return { ...counts, decisions: tally };
}

/** Approved items that waited for the objects they reference may go now; how many went. */
async function publishApproved(stores: PipelineStores, partner: Partner, now: Date): Promise<number> {
  let n = 0;
  for (const item of await stores.releases.approvedItems(partner.id)) {
    const r = await publishIfApproved(stores, item, now);
    if (r.ok && r.state === 'released') n++;
  }
  return n;
}

/** Outcomes of one step in one transaction: one commit, not one per object. */
async function putOutcomes(stores: PipelineStores, rows: readonly OutcomeRow[]): Promise<void> {
  if (rows.length === 0) return;
  await stores.sql.transaction(() => stores.releases.putOutcomes(rows));
}
