import { createHash } from 'node:crypto';
import type { DecisionMemo } from '../policy/decision-memo.js';
import type { ConditionReader } from '../store/condition-ports.js';
import type { Partner } from '../store/hub/partner-store.js';
import type { MemberSet } from '../store/hub/release-pass-members.js';
import type { PassMembers, PassStates } from '../store/release-ports.js';
import { NOTHING_RELEASED } from '../tearline/tearline-context.js';
import type { ReleasedSet } from '../tearline/tearline-types.js';
import { decideStep, type OutcomeKeys } from './release-decide-step.js';
import { type DecisionTally, emptyTally, type ReleaseTerms } from './release-decision.js';
import { addCounts, type PipelineCounts, zeroCounts } from './release-outcome.js';
import {
  catalogsKeyOf,
  earlierOf,
  formatPassKey,
  heldAmong,
  loadClosure,
  loadEveryObject,
  loadObjects,
  objectsChangedBetween,
  type PassBatch,
  parsePassKey,
  partnerPassKey,
  referencesOutside,
  type SetChange,
  setChange,
  withDependents,
} from './release-pass-plan.js';
import { defaultHubPolicy, type HubPolicy } from './release-policy.js';
import type { PublishStores } from './release-publish.js';
import { publishApproved, publishStep, putOutcomes } from './release-publish-step.js';
import { DecisionRound } from './release-terms.js';

export type { PipelineCounts } from './release-outcome.js';

/** What the pipeline reads and writes through: the publish adapters and the partners' conditions. */
export interface PipelineStores extends PublishStores {
  conditions: ConditionReader;
  /** The pass's own bookkeeping: cursors and the scope sets they were decided with. */
  passStates: PassStates;
  passMembers: PassMembers;
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

/** The scope of the hub-wide pass state row (a partner's row is scoped by its id). */
const HUB_SCOPE = '';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

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
  const { sql, reads, partners: partnerStore } = stores;
  const passStates = stores.passStates;
  // Read before anything else: a change made while this pass runs moves the stamp past it.
  const stamp = await reads.changeStamp();
  const settingsKey = opts.settingsDigest;
  const hubKey = `${stamp.key}|${settingsKey ?? ''}`;
  const saved = await passStates.all();
  const report: PipelineReport = {
    at: opts.now.toISOString(),
    mode: 'idle',
    decided: 0,
    partners: [],
    totals: { ...zeroCounts(), decisions: emptyTally() },
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
  // Whether the hub holds an object a batch references: shared by every partner of the pass.
  const held = new Map<string, boolean>();
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
    const moved = await scopeSetChanges(stores.passMembers, partner.id, terms, key, before);
    let batch: PassBatch;
    let outcomes: OutcomeKeys;
    let context: ReleasedSet = NOTHING_RELEASED;
    if (opts.full || settingsKey === undefined || !row || before?.terms !== key.terms) {
      anyFull = true;
      every ??= await loadEveryObject(reads, round);
      batch = every;
      // Every outcome of the partner in one query: one per object would be a round trip each on PostgreSQL.
      outcomes = await stores.releases.outcomeKeysOfPartner(partner.id);
    } else {
      let changed = changedSince.get(row.object_cursor);
      if (!changed) {
        changed = objectsChangedBetween(reads, row.object_cursor, stamp.objectsUs)
          .then((ids) => withDependents(reads, ids))
          .then(async (ids) => ({ ids, batch: await loadObjects(reads, round, ids) }));
        changedSince.set(row.object_cursor, changed);
      }
      const shared = await changed;
      const movedIds = moved.flatMap((m) => [...m.entered, ...m.left]);
      const extra = [
        ...(movedIds.length === 0 ? [] : await withDependents(reads, movedIds)),
        ...(await stores.releases.waitingObjectIds(partner.id)),
        ...(await reads.queueObjectsClosedSince(partner.id, verdictsSince(row.updated_at))),
      ].filter((id) => !shared.ids.has(id));
      // Read and projected once for every partner with this cursor; a partner's own items add to it.
      batch = extra.length === 0 ? shared.batch : await loadObjects(reads, round, [...shared.ids, ...extra]);
      const known = await knownReferences(stores, partner.id, batch, held);
      if (known) context = known;
      // Something the batch reaches has no recorded answer for this partner: decide all it reaches.
      else batch = await loadClosure(reads, round, batch.stored.keys());
      outcomes = await stores.releases.outcomeKeysOf(partner.id, [...batch.stored.keys()]);
    }
    report.decided += batch.inputs.length;
    const done = await runForPartner(stores, terms, partner, batch, outcomes, opts, context);
    // After the partner's writes, with the sets its key names: a crash before this commit repeats
    // the partner's pass (idempotent) from the sets and key as they were.
    await sql.transaction(async () => {
      const members = stores.passMembers;
      for (const m of moved) await members.change(partner.id, m.set, m.entered, m.left);
      await stores.releases.putReferenceIds(partner.id, done.references);
      await passStates.put({
        scope: partner.id,
        state_key: formatPassKey(key),
        object_cursor: stamp.objectsUs,
        changes_at: terms.decider.changesAt ?? null,
        updated_at: opts.now.toISOString(),
      });
      // What the partner has out, waiting and held back as this pass leaves it (overseers' chart).
      await stores.releases.recordOutcomeCounts(partner.id, opts.now.toISOString());
    });
    nextDue = earlierOf(nextDue, terms.decider.changesAt);
    const { references: _, ...counts } = done;
    report.partners.push({ partner: partner.name, ...counts });
    const t = report.totals;
    addCounts(t, done);
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
  members: PassMembers,
  partnerId: string,
  terms: ReleaseTerms,
  key: ReturnType<typeof partnerPassKey>,
  before: ReturnType<typeof parsePassKey>,
): Promise<({ set: MemberSet } & SetChange)[]> {
  const out: ({ set: MemberSet } & SetChange)[] = [];
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

/**
 * One partner's batch: the decide step (policy and tearline, no I/O), its withholds recorded, the
 * publish step for what may go, then approved items that were waiting for their references.
 */
async function runForPartner(
  stores: PipelineStores,
  terms: ReleaseTerms,
  partner: Partner,
  batch: PassBatch,
  outcomes: OutcomeKeys,
  opts: PipelineOptions,
  context: ReleasedSet,
): Promise<PipelineCounts & { decisions: DecisionTally; references: [string, string][] }> {
  const decided = decideStep(terms, partner.id, batch, outcomes, opts.now.toISOString(), context);
  await putOutcomes(stores, decided.withheld);
  const counts = { ...zeroCounts(), withheld: decided.withheld.length, unchanged: decided.unchanged };
  const agreement = terms.decider.facts.agreement;
  if (decided.candidates.length > 0 && agreement)
    addCounts(counts, await publishStep(stores, partner, agreement, decided.candidates, outcomes, opts));
  counts.released += await publishApproved(stores, partner, opts.now);
  return { ...counts, decisions: decided.tally, references: decided.references };
}

/**
 * What references from `batch` to objects outside it resolve to for the partner, as the passes
 * that last decided those objects recorded it: with the partner's terms unchanged, an object
 * outside the batch is unchanged and reaches nothing that changed (withDependents put everything
 * that does in the batch), so deciding it again would give the recorded answer. Undefined when
 * some object the hub holds has no recorded answer (the caller then decides all it reaches).
 */
async function knownReferences(
  stores: PipelineStores,
  partnerId: string,
  batch: PassBatch,
  held: Map<string, boolean>,
): Promise<ReleasedSet | undefined> {
  const outside = referencesOutside(batch);
  if (outside.length === 0) return NOTHING_RELEASED;
  const known = await stores.releases.referenceIdsOf(partnerId, outside);
  const unknown = outside.filter((id) => !known.has(id) && held.get(id) !== false);
  if (unknown.some((id) => held.get(id) === true)) return undefined;
  if (unknown.length > 0) {
    const found = await heldAmong(stores.reads, unknown);
    for (const id of unknown) held.set(id, found.has(id));
    if (found.size > 0) return undefined;
  }
  // '' records a withheld object; an object the hub does not hold is not released either.
  return { partnerIdOf: (id) => known.get(id) || undefined };
}
