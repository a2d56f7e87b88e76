/** Every reason code a decision can carry. Operator policies may add their own codes via @code. */
export const REASON_CODES = [
  'in-scope',
  'approval-required',
  'embargo',
  'no-agreement',
  'partner-disabled',
  'agreement-expired',
  'agreement-not-yet-valid',
  'condition-unmet',
  'tlp-red',
  'tlp-above-ceiling',
  'marking-missing',
  'marking-unknown',
  'releasability',
  'iep',
  'out-of-scope-type',
  'type-denied',
  'label-not-allowed',
  'label-denied',
  'outside-neighbourhood',
  'outside-location',
  'operator-policy',
  'no-permit',
  'policy-error',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

export interface DecisionReason {
  /** A REASON_CODES value, or an operator policy's own @code. */
  code: string;
  message: string;
  /** The Cedar policy that determined this, when one did. */
  policy?: string;
  /** The failing condition's id, for condition-unmet. */
  condition?: string;
  /** When this reason will stop applying with no further event. */
  changes_at?: string;
}
