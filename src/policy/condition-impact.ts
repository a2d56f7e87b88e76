import { type Requirement, requirementKey } from './condition-requirement.js';
import type { Outcome } from './decision.js';
import type { WhatWouldItTake } from './decision-what-would-it-take.js';

/** How far one unmet condition (or the partner being disabled) holds back a partner's flow. */
export interface ConditionImpact {
  /** The condition id, or `partner` for enabling a disabled partner. */
  key: string;
  requirement: Requirement;
  /** Withheld items for which meeting it is part of at least one minimal answer. */
  gated: number;
  /** Withheld items that meeting it alone would change (decided again in full): released, or queued. */
  alone: { release: number; 'needs-approval': number };
  /** What would flow if it alone were met, by STIX type. */
  alone_by_type: Record<string, number>;
  /** Up to `sampleSize` ids of the items it alone would release, in input order. */
  sample: string[];
}

export interface PartnerImpact {
  withheld: number;
  /** Withheld items no fact would change: they need a change of agreement. */
  agreement_change: number;
  /** Withheld items that meeting every condition (and enabling the partner) would change, decided again in full. */
  all_met: { release: number; 'needs-approval': number };
  conditions: ConditionImpact[];
}

export interface ImpactItem {
  object_id: string;
  type: string;
  answer: WhatWouldItTake;
  /**
   * The outcome with each requirement alone supplied (index as `requirements`), and with all of
   * them: decided again in full (the tearline included), so a count is what would really flow.
   */
  alone: readonly Outcome[];
  all: Outcome;
}

/**
 * Sums what-would-it-take answers for one partner into per-condition impact. `requirements` are
 * the solver's (every unmet fact, even one that gates nothing) so a condition with no effect is
 * reported with zero rather than left out.
 */
export function summariseImpact(
  requirements: readonly Requirement[],
  items: Iterable<ImpactItem>,
  sampleSize = 20,
): PartnerImpact {
  const byKey = new Map<string, ConditionImpact>();
  for (const r of requirements) {
    byKey.set(requirementKey(r), {
      key: requirementKey(r),
      requirement: r,
      gated: 0,
      alone: { release: 0, 'needs-approval': 0 },
      alone_by_type: {},
      sample: [],
    });
  }
  const out: PartnerImpact = {
    withheld: 0,
    agreement_change: 0,
    all_met: { release: 0, 'needs-approval': 0 },
    conditions: [...byKey.values()],
  };
  for (const item of items) {
    const a = item.answer;
    if (a.code === 'nothing-needed' || a.code === 'approval') continue;
    out.withheld++;
    if (a.code === 'agreement-change') {
      out.agreement_change++;
      continue;
    }
    if (item.all !== 'withhold') out.all_met[item.all]++;
    requirements.forEach((r, i) => {
      const outcome = item.alone[i];
      const impact = byKey.get(requirementKey(r));
      if (!impact || outcome === undefined || outcome === 'withhold') return;
      impact.alone[outcome]++;
      impact.alone_by_type[item.type] = (impact.alone_by_type[item.type] ?? 0) + 1;
      if (impact.sample.length < sampleSize) impact.sample.push(item.object_id);
    });
    const gated = new Set<string>();
    for (const ans of a.answers) for (const r of ans.requirements) gated.add(requirementKey(r));
    for (const key of gated) {
      const impact = byKey.get(key);
      if (impact) impact.gated++;
    }
  }
  return out;
}

/** "restoring hr-1 releases 412 items": the line an officer reads first. */
export function formatImpactLine(c: ConditionImpact): string {
  const n = c.alone.release + c.alone['needs-approval'];
  const verb = impactVerb(c.requirement);
  const queued = c.alone['needs-approval'] > 0 ? ` (${c.alone['needs-approval']} to the approval queue)` : '';
  return `${verb} releases ${n} item(s)${queued}; it gates ${c.gated} withheld item(s)`;
}

/** What an officer would do, as the subject of "... releases N items". */
export function impactVerb(r: Requirement): string {
  switch (r.code) {
    case 'attest-assurance':
      return `restoring ${r.condition}`;
    case 'feedback-items':
      return `${r.items} more feedback item(s) (${r.condition})`;
    case 'review-agreement':
      return `reviewing the agreement (${r.condition})`;
    case 'resume-partner':
      return 'lifting the suspension';
    case 'close-breaches':
      return 'closing the open breach report(s)';
    case 'enable-partner':
      return 'enabling the partner';
  }
}
