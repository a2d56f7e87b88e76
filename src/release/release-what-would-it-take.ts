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

/** Every object decided for one partner, then what each withheld one would take, summed per condition. */
export function partnerImpactOf(inputs: readonly DecisionInput[], terms: ReleaseTerms): ImpactRun {
  const solver = solverOf(terms);
  const decided = decideReleases(inputs, terms);
  const items = decided.map((d, i) => {
    const projection = (inputs[i] as DecisionInput).projection;
    return {
      object_id: d.object_id,
      type: projection.type,
      answer: whatWouldItTakeOf(d, projection, solver),
    };
  });
  return { impact: summariseImpact(solver.requirements, items), decisions: decided.length };
}
