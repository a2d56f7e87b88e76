import type { ConditionKind } from './agreement-types.js';

export type ConditionStatus = 'met' | 'unmet' | 'unknown';

/** What an officer attests of an assurance: who issued it, the evidence, its grade and dates. */
export interface AssuranceAttestation {
  issuer?: string;
  evidence?: string[];
  grade?: string;
  valid_from?: string;
  valid_until?: string;
  review_due?: string;
}

/** An officer's latest word on an assurance: a renewal with new evidence/dates, or a revocation. */
export type AssuranceRecord =
  | ({ state: 'attested'; at: string; actor: string } & AssuranceAttestation)
  | { state: 'revoked'; at: string; actor: string; reason: string };

export interface SuspensionFact {
  on: boolean;
  at?: string;
  actor?: string;
  reason?: string;
}

export interface BreachFact {
  id: string;
  reason: string;
  opened_at: string;
}

/**
 * What the hub knows about a partner when conditions are evaluated. A field left undefined
 * means the fact could not be established; the conditions that need it are `unknown`, hence unmet.
 */
export interface ConditionFacts {
  /** Latest record per assurance condition id. */
  assurances?: ReadonlyMap<string, AssuranceRecord>;
  /** When the hub received each feedback item (sighting, note, opinion) from the partner, epoch ms. */
  feedbackReceivedMs?: readonly number[];
  /** The latest review of the agreement (an explicit review, or setting a new version). */
  lastReviewAt?: string;
  suspension?: SuspensionFact;
  openBreaches?: readonly BreachFact[];
  /** The partner's name, for the commands a reason suggests ("PARTNER" when not given). */
  partnerName?: string;
}

export interface ConditionState {
  id: string;
  kind: ConditionKind;
  title: string;
  status: ConditionStatus;
  /** Why, in words an overseer can read: names the condition and the date or fact that decides it. */
  reason: string;
  /** When the status will change with no further event (expiry, review date, window lapse), ISO 8601. */
  changes_at?: string;
}
