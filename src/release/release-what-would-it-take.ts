import { type PartnerImpact, summariseImpact } from '../policy/condition-impact.js';
import { type WhatWouldItTake, WhatWouldItTakeSolver } from '../policy/decision-what-would-it-take.js';
import type { IntelProjection } from '../policy/intel-projection.js';
import {
  type DecisionInput,
  decideReleases,
  type ReleaseDecision,
  type ReleaseTerms,
} from './release-decision.js';

/** One solver per partner terms: its deciders per set of facts are shared by every object. */
export function solverOf(terms: ReleaseTerms): WhatWouldItTakeSolver {
  return new WhatWouldItTakeSolver(terms.decider.facts, terms.decider.memo, terms.decider);
}

/**
 * What would it take for a release decision (decideReleases): a withhold by the tearline (the
 * object cannot be cut for this partner, or its profile is missing) is not changed by any
 * condition, so it needs a change of agreement or of the object; otherwise the policy's answer.
 * Facts that change the policy's outcome still pass the tearline when released.
 */
export function whatWouldItTakeOf(
  d: ReleaseDecision,
  projection: IntelProjection,
  solver: WhatWouldItTakeSolver,
): WhatWouldItTake {
  if (d.outcome === 'withhold' && d.stage === 'tearline')
    return { code: 'agreement-change', blockers: d.reasons };
  if (d.outcome === 'needs-approval')
    return { code: 'approval', approvals_required: d.decision.approvals_required };
  return solver.solve(projection, d.decision);
}

export interface ImpactRun {
  impact: PartnerImpact;
  decisions: number;
}

/**
 * Every object decided for one partner, then what each withheld one would take, summed per
 * condition. The counts of what would flow come from deciding everything again (tearline
 * included) with each unmet fact supplied alone and with all of them: a relationship the policy
 * would release but whose end stays withheld is not counted as flowing.
 */
export function partnerImpactOf(inputs: readonly DecisionInput[], terms: ReleaseTerms): ImpactRun {
  const solver = solverOf(terms);
  const decided = decideReleases(inputs, terms);
  const n = solver.requirements.length;
  const withFacts = (mask: number) => decideReleases(inputs, { ...terms, decider: solver.deciderFor(mask) });
  const alone = solver.requirements.map((_, i) => withFacts(1 << i));
  const all = n === 0 ? decided : withFacts((1 << n) - 1);
  const items = decided.map((d, k) => {
    const projection = (inputs[k] as DecisionInput).projection;
    return {
      object_id: d.object_id,
      type: projection.type,
      answer: whatWouldItTakeOf(d, projection, solver),
      alone: alone.map((a) => (a[k] as ReleaseDecision).outcome),
      all: (all[k] as ReleaseDecision).outcome,
    };
  });
  return { impact: summariseImpact(solver.requirements, items), decisions: decided.length };
}
