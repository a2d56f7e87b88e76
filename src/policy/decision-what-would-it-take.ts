import { evaluateConditions, listEffectiveConditions } from './condition-evaluate.js';
import { applyRequirement, type Requirement, requirementFor } from './condition-requirement.js';
import type { ConditionFacts } from './condition-types.js';
import { type Decision, PartnerDecider, type PartnerFacts } from './decision.js';
import type { DecisionMemo } from './decision-memo.js';
import type { DecisionReason } from './decision-reasons.js';
import type { IntelProjection } from './intel-projection.js';

/** One minimal set of facts that, supplied together, changes a withhold. */
export interface WhatWouldItTakeAnswer {
  requirements: Requirement[];
  /** The outcome once they are supplied: a release, or a release that still awaits approval. */
  outcome: 'release' | 'needs-approval';
  approvals_required: 0 | 1 | 2;
  /** When an embargo still runs: the partner sees it from then. */
  visible_from?: string;
}

/**
 * - `nothing-needed`: the policy already releases it.
 * - `approval`: queued; only officers' approvals stand between it and the partner.
 * - `facts`: every minimal set of facts (conditions met, partner enabled) that would change it.
 * - `agreement-change`: no fact the hub records would do; `blockers` are the reasons that remain
 *   with every condition met and the partner enabled (a TLP:RED object, an out-of-scope type, ...).
 */
export type WhatWouldItTake =
  | { code: 'nothing-needed' }
  | { code: 'approval'; approvals_required: 0 | 1 | 2 }
  | { code: 'facts'; answers: WhatWouldItTakeAnswer[] }
  | { code: 'agreement-change'; blockers: DecisionReason[] };

/** Beyond this many unmet facts the search is greedy: one minimal answer, not all of them. */
const EXHAUSTIVE_LIMIT = 10;

/**
 * Answers "what would it take" for one partner at one instant. An explicit search over the facts
 * that can change (each unmet condition met, the partner enabled): subsets in order of size, each
 * one decided again with those facts applied and the conditions evaluated afresh, so every answer
 * is what the decision itself says, operator policies included. A set is reported only if none of
 * its subsets already worked, so every answer is minimal. Deciders per subset are built once and
 * share the memo: the cost per object is a few memoised look-ups.
 */
export class WhatWouldItTakeSolver {
  readonly base: PartnerDecider;
  /** The facts that could change, in the agreement's condition order; `enable-partner` last. */
  readonly requirements: readonly Requirement[];
  readonly #deciders = new Map<number, PartnerDecider>();
  readonly #masks: number[];

  constructor(
    readonly facts: PartnerFacts,
    readonly memo: DecisionMemo,
    base?: PartnerDecider,
  ) {
    this.base = base ?? new PartnerDecider(facts, memo);
    this.#deciders.set(0, this.base);
    const reqs: Requirement[] = [];
    const agreement = facts.agreement?.body;
    const cf = facts.conditionFacts;
    if (agreement && cf) {
      for (const spec of listEffectiveConditions(agreement)) {
        const state = facts.conditions.find((c) => c.id === spec.id);
        const r = state && requirementFor(spec, state, cf, facts.nowMs);
        if (r) reqs.push(r);
      }
    }
    if (!facts.partner.enabled) reqs.push({ code: 'enable-partner', message: 'enable the partner' });
    this.requirements = reqs;
    this.#masks = reqs.length <= EXHAUSTIVE_LIMIT ? masksBySize(reqs.length) : [];
  }

  /** The decider with the facts of `mask` (bit i = requirements[i]) supplied. */
  deciderFor(mask: number): PartnerDecider {
    const found = this.#deciders.get(mask);
    if (found) return found;
    const f = this.facts;
    let cf: ConditionFacts | undefined = f.conditionFacts;
    let enabled = f.partner.enabled;
    this.requirements.forEach((r, i) => {
      if ((mask & (1 << i)) === 0) return;
      if (r.code === 'enable-partner') enabled = true;
      else if (cf) cf = applyRequirement(cf, r, f.nowMs);
    });
    const agreement = f.agreement?.body;
    const facts: PartnerFacts = {
      ...f,
      partner: { ...f.partner, enabled },
      conditions: agreement && cf ? evaluateConditions(agreement, cf, f.nowMs) : f.conditions,
      ...(cf && { conditionFacts: cf }),
    };
    const d = new PartnerDecider(facts, this.memo);
    this.#deciders.set(mask, d);
    return d;
  }

  /** The requirements of a mask, in order. */
  requirementsOf(mask: number): Requirement[] {
    return this.requirements.filter((_, i) => (mask & (1 << i)) !== 0);
  }

  solve(intel: IntelProjection, decided?: Decision): WhatWouldItTake {
    const d = decided ?? this.base.decide(intel);
    if (d.outcome === 'release') return { code: 'nothing-needed' };
    if (d.outcome === 'needs-approval') return { code: 'approval', approvals_required: d.approvals_required };
    const all = (1 << this.requirements.length) - 1;
    const full = this.deciderFor(all).decide(intel);
    if (full.outcome === 'withhold') return { code: 'agreement-change', blockers: full.reasons };
    const found: number[] = [];
    if (this.#masks.length > 0) {
      for (const mask of this.#masks) {
        if (found.some((f) => (f & mask) === f)) continue;
        if (this.deciderFor(mask).decide(intel).outcome !== 'withhold') found.push(mask);
      }
    } else {
      found.push(this.#shrink(intel, all));
    }
    return { code: 'facts', answers: found.map((m) => this.#answer(intel, m)) };
  }

  /** Drops requirements one at a time while the rest still change the outcome. */
  #shrink(intel: IntelProjection, start: number): number {
    let mask = start;
    for (let i = 0; i < this.requirements.length; i++) {
      const without = mask & ~(1 << i);
      if (without !== mask && this.deciderFor(without).decide(intel).outcome !== 'withhold') mask = without;
    }
    return mask;
  }

  #answer(intel: IntelProjection, mask: number): WhatWouldItTakeAnswer {
    const d = this.deciderFor(mask).decide(intel);
    return {
      requirements: this.requirementsOf(mask),
      outcome: d.outcome === 'release' ? 'release' : 'needs-approval',
      approvals_required: d.approvals_required,
      ...(d.visible_from !== undefined &&
        Date.parse(d.visible_from) > this.facts.nowMs && { visible_from: d.visible_from }),
    };
  }
}

/** Every non-empty mask of n bits, fewest bits first, so the first sets that work are minimal. */
function masksBySize(n: number): number[] {
  const masks: number[] = [];
  for (let m = 1; m < 1 << n; m++) masks.push(m);
  return masks.sort((a, b) => popcount(a) - popcount(b) || a - b);
}

function popcount(m: number): number {
  let c = 0;
  for (let x = m; x !== 0; x &= x - 1) c++;
  return c;
}
