import type { TlpLevel } from '../stix/markings-tlp.js';
import { type ForbiddenTermFilter, NO_FORBIDDEN_TERMS } from './tearline-forbidden.js';
import { createIdDeriver, derivePartnerNamespace } from './tearline-ids.js';
import type { SanitisationProfile } from './tearline-profile.js';
import type { SubmitterCatalog } from './tearline-submitter.js';
import type { MarkingCatalog, ReleasedSet, SanitiseContext, StatementCatalog } from './tearline-types.js';

export interface SanitiseContextInput {
  hubSecret: Uint8Array | string;
  partnerId: string;
  ceiling: TlpLevel;
  releasingIdentityId: string;
  profile: SanitisationProfile;
  markings?: MarkingCatalog;
  statements?: StatementCatalog;
  untaggedLevel?: TlpLevel;
  forbidden?: ForbiddenTermFilter;
  submitters?: SubmitterCatalog;
  /** The partner's nationality and communities, for granular releasability markings. */
  releasableAs?: readonly string[];
}

/** Builds the context of one partner's releases; derive it once per partner and reuse it. */
export function createSanitiseContext(input: SanitiseContextInput): SanitiseContext {
  return {
    partner: {
      partnerId: input.partnerId,
      ceiling: input.ceiling,
      releasingIdentityId: input.releasingIdentityId,
      ...(input.releasableAs !== undefined && { releasableAs: input.releasableAs }),
      deriveId: createIdDeriver(derivePartnerNamespace(input.hubSecret, input.partnerId)),
    },
    profile: input.profile,
    markings: input.markings ?? new Map(),
    statements: input.statements ?? new Map(),
    ...(input.untaggedLevel !== undefined && { untaggedLevel: input.untaggedLevel }),
    forbidden: input.forbidden ?? NO_FORBIDDEN_TERMS,
    ...(input.submitters !== undefined && { submitters: input.submitters }),
  };
}

/** A released set from original id -> partner id pairs (e.g. read from the derived-id store). */
export function releasedSetOf(partnerIds: ReadonlyMap<string, string>): ReleasedSet {
  return { partnerIdOf: (id) => partnerIds.get(id) };
}

export const NOTHING_RELEASED: ReleasedSet = { partnerIdOf: () => undefined };
