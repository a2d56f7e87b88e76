import type { TlpLevel } from '../stix/markings-tlp.js';

/**
 * What a partner's agreement lets the hub do with what it submits, once an analyst has promoted
 * it (agreement field `submitter_consent`; absent means 'none'): 'none', nothing promoted from its
 * submissions goes to another partner; 'hub-only', it goes naming the hub and never the submitter;
 * 'named', the copy may name the submitter. The tearline enforces it (tearline-submitter.ts).
 */
export type SubmitterConsent = 'none' | 'hub-only' | 'named';
export const SUBMITTER_CONSENTS: readonly SubmitterConsent[] = ['none', 'hub-only', 'named'];

/** How many officers must approve a release the policy permits. */
export type Approval = 'none' | 'one' | 'two';
export const APPROVALS: readonly Approval[] = ['none', 'one', 'two'];

/** Only these may anchor a threat neighbourhood: the named adversaries the agreement is about. */
export const NEIGHBOURHOOD_ANCHOR_TYPES = ['intrusion-set', 'threat-actor', 'campaign'] as const;

export interface Neighbourhood {
  of: string[];
  hops: number;
}

export interface AgreementScope {
  /** STIX types the partner may receive; anything else is out of scope. */
  types: string[];
  types_denied: string[];
  /** When present, an object must carry at least one of these labels. */
  labels?: string[];
  labels_denied: string[];
  neighbourhood?: Neighbourhood;
  /** When present, an object must be one of these locations or directly related to one. */
  locations?: string[];
}

export interface AssuranceSpec {
  kind: 'assurance';
  id: string;
  title: string;
  issuer?: string;
  evidence: string[];
  /** Admiralty grade: source reliability A-F and information credibility 1-6, e.g. "B2". */
  grade?: string;
  valid_from?: string;
  valid_until?: string;
  review_due?: string;
}

export interface ReciprocitySpec {
  kind: 'reciprocity';
  id: string;
  min_items: number;
  window: string;
}

export interface ReviewSpec {
  kind: 'review';
  id: string;
  days: number;
}

export interface SuspensionSpec {
  kind: 'suspension';
  id: string;
}

export interface BreachSpec {
  kind: 'breach';
  id: string;
}

export type ConditionSpec = AssuranceSpec | ReciprocitySpec | ReviewSpec | SuspensionSpec | BreachSpec;
export type ConditionKind = ConditionSpec['kind'];
export const CONDITION_KINDS: readonly ConditionKind[] = [
  'assurance',
  'reciprocity',
  'review',
  'suspension',
  'breach',
];

/** One version of a partner's agreement, normalised: defaults filled in, ids given to every condition. */
export interface Agreement {
  scope: AgreementScope;
  tlp_ceiling: TlpLevel;
  embargo?: string;
  approval: Approval;
  sanitisation: string;
  valid_from?: string;
  valid_until?: string;
  conditions: ConditionSpec[];
  /**
   * The partner's nationality (ISO 3166-1 alpha-3) and communities (e.g. FVEY), matched against
   * releasability markings (REL TO, ACS). Without them an object so marked is withheld.
   */
  nationality?: string;
  communities?: string[];
  /**
   * True when the partner is served only over TLS (TAXII over HTTPS, or a TLS-terminating proxy
   * the operator vouches for): an IEP that says `encrypt_in_transit: must` goes to no one else.
   */
  tls?: boolean;
  /**
   * What the hub may do with this partner's submissions once promoted (tearline-submitter.ts).
   * Absent means 'none', and the normal form leaves it out then, so agreements written before
   * the field keep their normal form.
   */
  submitter_consent?: SubmitterConsent;
}

/** The consent an agreement gives; no agreement or no field gives none. */
export function submitterConsentOf(agreement: Agreement | undefined): SubmitterConsent {
  return agreement?.submitter_consent ?? 'none';
}

export type AgreementErrorCode =
  | 'agreement-syntax'
  | 'agreement-encoding'
  | 'agreement-too-deep'
  | 'agreement-too-large'
  | 'agreement-missing-field'
  | 'agreement-unknown-field'
  | 'agreement-invalid-field';

export interface AgreementError {
  code: AgreementErrorCode;
  /** Dotted path of the field, e.g. 'scope.neighbourhood.hops' or 'conditions[1].window'; '' for the whole file. */
  path: string;
  /** 1-based line in the file, when known. */
  line?: number;
  /** 1-based column (characters) in that line, when known. */
  column?: number;
  message: string;
}

export type AgreementParseResult =
  | { ok: true; agreement: Agreement }
  | { ok: false; errors: AgreementError[] };
