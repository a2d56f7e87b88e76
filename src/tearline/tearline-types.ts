import type { TlpLevel } from '../stix/markings-tlp.js';
import type { JsonObject } from '../stix/types.js';
import type { ForbiddenTermFilter } from './tearline-forbidden.js';
import type { SanitisationProfile } from './tearline-profile.js';
import type { SubmitterCatalog } from './tearline-submitter.js';

/** Why an object was not released to a partner. Messages never quote a forbidden term. */
export type WithheldCode =
  | 'marking-above-ceiling'
  | 'dangling-reference'
  | 'forbidden-term'
  | 'invalid-tearline'
  | 'internal-marking'
  | 'custom-type'
  | 'unsupported-type'
  | 'internal-id'
  | 'submitter-consent'
  | 'submitter-named'
  | 'releasability'
  | 'not-an-object';

/** One thing the sanitiser took out: `path` is a STIX selector of the original object. */
export interface Removal {
  path: string;
  rule: RemovalRule;
}

export type RemovalRule =
  | 'granular-marking'
  | 'granular-releasability'
  | 'external-reference'
  | 'custom-property'
  | 'extension'
  | 'submission-provenance'
  | 'confidence'
  | 'internal-label'
  | 'reference-closure'
  | 'empty-after-removal';

export interface TearlineOk {
  ok: true;
  /** The id the partner knows the object by (derived, or an SCO id recomputed from the copy). */
  partnerObjectId: string;
  tearline: JsonObject;
  /** SHA-256 (hex) of the RFC 8785 canonical JSON of `tearline`, for the ledger. */
  digest: string;
  removed: Removal[];
}

export interface TearlineWithheld {
  ok: false;
  code: WithheldCode;
  /** For officers; names fields and rules, never the value or term that caused it. */
  message: string;
  /** Set for 'forbidden-term': which rule hit and where it comes from. */
  rule?: { name: string; source: 'hub' | 'agreement' };
}

export type TearlineResult = TearlineOk | TearlineWithheld;

/**
 * What the hub knows of a partner for one release. `partnerId` is internal and never appears
 * in a copy. `releasingIdentityId` is the hub identity every copy is attributed to; the caller
 * must release that identity object to the partner (it is treated as always resolvable).
 */
export interface PartnerContext {
  partnerId: string;
  ceiling: TlpLevel;
  releasingIdentityId: string;
  /**
   * The partner's nationality and communities (agreement `nationality`, `communities`): a part
   * under a granular releasability marking that admits none of them is removed from the copy.
   */
  releasableAs?: readonly string[];
  /** Stable per-partner id for an SDO/SRO (see createIdDeriver); keeps the type prefix. */
  deriveId: (originalId: string) => string;
}

/**
 * The objects the partner can resolve: released already or in this batch. Returns the id the
 * partner knows the object by, or undefined when it is not released to them.
 */
export interface ReleasedSet {
  partnerIdOf(originalId: string): string | undefined;
}

/**
 * Marking definitions the hub knows beyond the standard TLP ones, each with the TLP level it
 * counts as for release (a copyright statement: 'clear'; a "no foreign release" caveat: 'red').
 * A marking in neither list counts as above every ceiling.
 */
export type MarkingCatalog = ReadonlyMap<string, TlpLevel>;

/**
 * Statement marking definitions the hub holds (copyright and terms-of-use notices), by id. They
 * restrict nothing: the copy carries them under their own id (the profile may drop them), and
 * the partner gets the definition itself with the first copy that carries it.
 */
export type StatementCatalog = ReadonlyMap<string, JsonObject>;

export interface SanitiseContext {
  partner: PartnerContext;
  profile: SanitisationProfile;
  markings: MarkingCatalog;
  statements: StatementCatalog;
  /**
   * The hub's level for objects with no TLP marking (config.json `untagged_tlp`), when it sets
   * one. The copy counts such an object at the higher of this and the profile's unmarked level.
   */
  untaggedLevel?: TlpLevel;
  forbidden: ForbiddenTermFilter;
  /**
   * Every partner's name and submitter consent, for objects promoted from a submission
   * (tearline-submitter.ts). Absent: such an object goes to no partner but its submitter.
   */
  submitters?: SubmitterCatalog;
}
