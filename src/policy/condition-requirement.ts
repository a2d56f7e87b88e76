import type { ConditionSpec } from './agreement-types.js';
import type { ConditionFacts, ConditionState } from './condition-types.js';
import { addIsoDuration, parseIsoDuration } from './duration-iso.js';

/**
 * One fact that would make an unmet condition (or a disabled partner) hold at the decision's
 * instant T. Each is also a patch on the facts (`applyRequirement`), so an answer is checked by
 * evaluating the conditions again and re-deciding, never by assuming what a requirement does.
 */
export type Requirement =
  | { code: 'attest-assurance'; condition: string; valid_at: string; message: string }
  | { code: 'feedback-items'; condition: string; items: number; window: string; message: string }
  | { code: 'review-agreement'; condition: string; message: string }
  | { code: 'resume-partner'; condition: string; message: string }
  | { code: 'close-breaches'; condition: string; breaches: string[]; message: string }
  | { code: 'enable-partner'; message: string };

export type RequirementCode = Requirement['code'];

/** The key a requirement is counted under in impact summaries: its condition id, or `partner`. */
export function requirementKey(r: Requirement): string {
  return r.code === 'enable-partner' ? 'partner' : r.condition;
}

/**
 * What would make `state` (the condition's present evaluation) met at `nowMs`, or undefined when
 * no fact the hub records can: a window it cannot parse, or facts it could not read (the hub
 * must first be able to read them; that is not something a partner or officer supplies).
 */
export function requirementFor(
  spec: ConditionSpec,
  state: ConditionState,
  facts: ConditionFacts,
  nowMs: number,
): Requirement | undefined {
  if (state.status === 'met') return undefined;
  const at = new Date(nowMs).toISOString();
  switch (spec.kind) {
    case 'assurance':
      if (facts.assurances === undefined) return undefined;
      return {
        code: 'attest-assurance',
        condition: spec.id,
        valid_at: at,
        message: `attest ${spec.id} (${spec.title}) as valid at ${at}: valid_from at or before it, valid_until and any review_due after it`,
      };
    case 'reciprocity': {
      const window = parseIsoDuration(spec.window);
      if (window === undefined || facts.feedbackReceivedMs === undefined) return undefined;
      const start = addIsoDuration(nowMs, window, -1);
      const have = facts.feedbackReceivedMs.filter((t) => t > start && t <= nowMs).length;
      const items = Math.max(1, spec.min_items - have);
      return {
        code: 'feedback-items',
        condition: spec.id,
        items,
        window: spec.window,
        message: `${items} more feedback item(s) from the partner within ${spec.window} of ${at} (${have} of ${spec.min_items} received)`,
      };
    }
    case 'review':
      return {
        code: 'review-agreement',
        condition: spec.id,
        message: `record a review of the agreement (${spec.id}: every ${spec.days} days)`,
      };
    case 'suspension':
      if (facts.suspension === undefined) return undefined;
      return {
        code: 'resume-partner',
        condition: spec.id,
        message: 'resume the partner (lift the suspension)',
      };
    case 'breach': {
      if (facts.openBreaches === undefined) return undefined;
      const breaches = facts.openBreaches.map((b) => b.id);
      return {
        code: 'close-breaches',
        condition: spec.id,
        breaches,
        message: `close the open breach report(s) ${breaches.join(', ')}`,
      };
    }
  }
}

/** The facts as they would stand at `nowMs` once `r` is supplied. Pure: `facts` is not changed. */
export function applyRequirement(facts: ConditionFacts, r: Requirement, nowMs: number): ConditionFacts {
  const at = new Date(nowMs).toISOString();
  switch (r.code) {
    case 'attest-assurance': {
      const assurances = new Map(facts.assurances);
      // The narrowest attestation that holds at the instant: an answer must not rely on more.
      const after = new Date(nowMs + 1).toISOString();
      assurances.set(r.condition, {
        state: 'attested',
        at,
        actor: 'what-would-it-take',
        valid_from: at,
        valid_until: after,
        review_due: after,
      });
      return { ...facts, assurances };
    }
    case 'feedback-items':
      return {
        ...facts,
        feedbackReceivedMs: [...(facts.feedbackReceivedMs ?? []), ...Array<number>(r.items).fill(nowMs)],
      };
    case 'review-agreement':
      return { ...facts, lastReviewAt: at };
    case 'resume-partner':
      return { ...facts, suspension: { on: false } };
    case 'close-breaches':
      return { ...facts, openBreaches: [] };
    case 'enable-partner':
      return facts;
  }
}
