import type { JsonObject } from '../stix/types.js';
import { matchesNameList, type SanitisationProfile } from './tearline-profile.js';
import { SUBMISSION_PROVENANCE_EXTENSION_ID } from './tearline-provenance.js';
import type { RemovalPlan } from './tearline-removal.js';
import { PREDEFINED_EXTENSIONS, type TypeRules } from './tearline-type-registry.js';

/** Keys the spec defines inside list items we inspect; anything else there is custom. */
const ITEM_KEYS: Readonly<Record<string, ReadonlySet<string>>> = {
  external_references: new Set(['source_name', 'description', 'url', 'hashes', 'external_id']),
  kill_chain_phases: new Set(['kill_chain_name', 'phase_name']),
};

/**
 * Plans the source-protection removals: external references outside the allow-list, custom
 * properties (top level and inside external references and kill-chain phases), custom
 * extensions, the hub's submission provenance (always), confidence and internal labels. `created_by_ref` is rewritten later, not removed.
 */
export function planSourceProtection(
  obj: JsonObject,
  rules: TypeRules,
  profile: SanitisationProfile,
  plan: RemovalPlan,
): void {
  for (const key of Object.keys(obj)) {
    if (!rules.properties.has(key) && !matchesNameList(profile.allow_custom_properties, key)) {
      plan.add([key], 'custom-property');
    }
  }
  if (!profile.keep_confidence && obj.confidence !== undefined) plan.add(['confidence'], 'confidence');
  const refs = obj.external_references;
  if (Array.isArray(refs)) {
    refs.forEach((ref, i) => {
      const source =
        typeof ref === 'object' && ref !== null && !Array.isArray(ref) ? ref.source_name : undefined;
      if (typeof source !== 'string' || !matchesNameList(profile.allow_external_reference_sources, source)) {
        plan.add(['external_references', i], 'external-reference');
      }
    });
  }
  for (const [list, allowed] of Object.entries(ITEM_KEYS)) {
    const items = obj[list];
    if (!Array.isArray(items)) continue;
    items.forEach((item, i) => {
      if (typeof item !== 'object' || item === null || Array.isArray(item)) return;
      for (const key of Object.keys(item)) {
        if (!allowed.has(key) && !matchesNameList(profile.allow_custom_properties, key)) {
          plan.add([list, i, key], 'custom-property');
        }
      }
    });
  }
  const extensions = obj.extensions;
  if (typeof extensions === 'object' && extensions !== null && !Array.isArray(extensions)) {
    for (const key of Object.keys(extensions)) {
      // Names the submitting partner: never released, whatever the profile allows.
      if (key === SUBMISSION_PROVENANCE_EXTENSION_ID) {
        plan.add(['extensions', key], 'submission-provenance');
        continue;
      }
      const standard = rules.kind === 'sco' && PREDEFINED_EXTENSIONS.has(key);
      if (!standard && !matchesNameList(profile.allow_extensions, key))
        plan.add(['extensions', key], 'extension');
    }
  }
  const labels = obj.labels;
  if (Array.isArray(labels)) {
    labels.forEach((label, i) => {
      if (typeof label === 'string' && matchesNameList(profile.deny_labels, label)) {
        plan.add(['labels', i], 'internal-label');
      }
    });
  }
}
