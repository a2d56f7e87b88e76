import type { OperatorPolicies } from '../policy/operator-policy.js';
import type { TlpLevel } from '../stix/markings-tlp.js';
import { type ForbiddenTermFilter, NO_FORBIDDEN_TERMS } from '../tearline/tearline-forbidden.js';
import { BUILT_IN_PROFILES, type SanitisationProfile } from '../tearline/tearline-profile.js';

/**
 * The hub's own release settings, beside each partner's agreement: what every decision reads
 * from the data dir (src/app/hub-policy-load.ts). A serving hub re-reads them when they change.
 */
export interface HubPolicy {
  /** Level of objects with no TLP marking (config.json `untagged_tlp`); undefined withholds them. */
  untaggedTlp?: TlpLevel;
  /** Where the operator sets `untagged_tlp`, named in every `marking-missing` reason. */
  untaggedWhere: string;
  operator: Extract<OperatorPolicies, { ok: true }>;
  /** Hub-wide forbidden terms (forbidden-terms.json). */
  forbidden: ForbiddenTermFilter;
  forbiddenRuleNames: readonly string[];
  /** Built-in profiles and the hub's own (profiles/*.json), by name. */
  profiles: ReadonlyMap<string, SanitisationProfile>;
}

/** What a hub with nothing configured decides by: no default level, no extra rules. */
export function defaultHubPolicy(untaggedWhere = "untagged_tlp in the hub's config.json"): HubPolicy {
  return {
    untaggedWhere,
    operator: { ok: true, policies: {}, meta: {} },
    forbidden: NO_FORBIDDEN_TERMS,
    forbiddenRuleNames: [],
    profiles: BUILT_IN_PROFILES,
  };
}

/** The hint every `marking-missing` reason ends with: where to set the default, or what else to do. */
export function markingDefaultHint(policy: HubPolicy): string {
  return `set ${policy.untaggedWhere} (clear, green, amber or amber+strict), or give a marking at import: tearline import FILE --marking tlp:green`;
}
