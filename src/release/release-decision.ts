import type { Decision, Outcome, PartnerDecider } from '../policy/decision.js';
import type { DecisionReason } from '../policy/decision-reasons.js';
import type { IntelProjection } from '../policy/intel-projection.js';
import type { JsonObject } from '../stix/types.js';
import { sanitiseBatch } from '../tearline/tearline-batch.js';
import { NOTHING_RELEASED } from '../tearline/tearline-context.js';
import type { ReleasedSet, Removal, SanitiseContext } from '../tearline/tearline-types.js';

/**
 * What one partner's decisions are made with at one instant: the policy decider (agreement,
 * conditions, hub policies) and the tearline rules (ceiling, profile, forbidden terms, statement
 * markings, the hub's default level). Built once per partner and pass (release-terms.ts).
 */
export interface ReleaseTerms {
  decider: PartnerDecider;
  /** Undefined when nothing can be released, e.g. no agreement: the policy then withholds. */
  sanitise?: SanitiseContext;
  /** Set when the agreement's profile cannot be used: every permitted object is withheld with it. */
  profileProblem?: DecisionReason;
}

/** An object version to decide, with its partner-independent projection. */
export interface DecisionInput {
  object: JsonObject;
  projection: IntelProjection;
}

export interface ReleaseCopy {
  /** The id the partner knows the object by. */
  partnerObjectId: string;
  copy: JsonObject;
  digest: string;
  removed: Removal[];
}

/**
 * The one answer for (object, partner, time): outcome, reasons and the tearline. `explain`,
 * `preview`, `decide`, `release run`, the console and `report disclosures` all show this and
 * never work it out themselves.
 */
export interface ReleaseDecision {
  object_id: string;
  object_version: string;
  outcome: Outcome;
  /** Never empty. A withhold by the tearline gives the tearline's reason. */
  reasons: DecisionReason[];
  /** Which step settled a withhold: the policy (Cedar) or the tearline (sanitiser). */
  stage: 'policy' | 'tearline';
  /** The policy's decision: agreement version, approvals, embargo, conditions, policies. */
  decision: Decision;
  /** The copy the partner would get: set exactly when the outcome is not a withhold. */
  tearline?: ReleaseCopy;
}

/**
 * Decides a set of objects for one partner: the policy first, then the tearline of everything
 * the policy lets through, as one batch (references between them count as released, and an
 * object whose required reference is withheld is withheld too). An object's answer depends only
 * on itself and what it references, so deciding the objects an object reaches (release-closure.ts)
 * gives the same answer for it as deciding the whole store. Results are in input order.
 *
 * `context` says what references to objects outside `inputs` resolve to, as deciding them would
 * (an incremental pass reads it from the last pass: release-pass-plan.ts); ids among `inputs`
 * are never asked of it. By default nothing outside `inputs` counts as released.
 */
export function decideReleases(
  inputs: readonly DecisionInput[],
  terms: ReleaseTerms,
  context: ReleasedSet = NOTHING_RELEASED,
): ReleaseDecision[] {
  const out: ReleaseDecision[] = [];
  const candidates: JsonObject[] = [];
  const pending = new Map<string, number>();
  const blocked = terms.sanitise
    ? terms.profileProblem
    : { code: 'no-agreement', message: 'no sanitisation terms for this partner' };
  for (const input of inputs) {
    const decision = terms.decider.decide(input.projection);
    const d: ReleaseDecision = {
      object_id: input.projection.id,
      object_version: input.projection.version,
      outcome: decision.outcome,
      reasons: decision.reasons,
      stage: 'policy',
      decision,
    };
    out.push(d);
    if (decision.outcome === 'withhold') continue;
    if (blocked) {
      d.outcome = 'withhold';
      d.reasons = [blocked];
      d.stage = 'tearline';
      continue;
    }
    pending.set(d.object_id, out.length - 1);
    candidates.push(input.object);
  }
  if (candidates.length === 0 || !terms.sanitise) return out;
  // An input the policy withholds is not in the tearline batch: it must read as withheld, not as
  // whatever `context` last recorded for it.
  const inBatch = context === NOTHING_RELEASED ? undefined : new Set(out.map((d) => d.object_id));
  const outside: ReleasedSet = inBatch
    ? { partnerIdOf: (id) => (inBatch.has(id) ? undefined : context.partnerIdOf(id)) }
    : context;
  const batch = sanitiseBatch(candidates, terms.sanitise, outside);
  for (const w of batch.withheld) {
    const at = pending.get(w.originalId);
    const d = at === undefined ? undefined : out[at];
    if (!d) continue;
    d.outcome = 'withhold';
    d.stage = 'tearline';
    d.reasons = [{ code: w.code, message: w.message }];
  }
  for (const r of batch.released) {
    const at = pending.get(r.originalId);
    const d = at === undefined ? undefined : out[at];
    if (!d) continue;
    d.tearline = {
      partnerObjectId: r.partnerObjectId,
      copy: r.tearline,
      digest: r.digest,
      removed: r.removed,
    };
  }
  return out;
}

/** Counts by outcome and by reason code (each code once per decision), as every summary shows them. */
export interface DecisionTally {
  counts: Record<Outcome, number>;
  reasons: Record<string, number>;
}

export function emptyTally(): DecisionTally {
  return { counts: { release: 0, 'needs-approval': 0, withhold: 0 }, reasons: {} };
}

export function tallyDecision(t: DecisionTally, d: Pick<ReleaseDecision, 'outcome' | 'reasons'>): void {
  t.counts[d.outcome]++;
  const rs = d.reasons;
  for (let i = 0; i < rs.length; i++) {
    const code = (rs[i] as DecisionReason).code;
    // Each code once per decision (a withhold may carry several conditions of one code).
    let seen = false;
    for (let j = 0; j < i && !seen; j++) seen = (rs[j] as DecisionReason).code === code;
    if (!seen) t.reasons[code] = (t.reasons[code] ?? 0) + 1;
  }
}
