import { compareTlp, TLP_LEVELS } from '../stix/markings-tlp.js';
import type { Agreement } from './agreement-types.js';
import { formatCedarString, formatCedarStringSet } from './cedar-schema.js';
import { listEffectiveConditions } from './condition-evaluate.js';

/** What a policy means when it determines a decision: its reason code, message and condition. */
export interface PolicyMeta {
  code: string;
  reason: string;
  effect: 'permit' | 'forbid';
  condition?: string;
  source: 'agreement' | 'operator';
}

export interface GeneratedPolicies {
  /** Cedar policy text by policy id. */
  policies: Record<string, string>;
  meta: Record<string, PolicyMeta>;
}

interface Rule {
  id: string;
  code: string;
  reason: string;
  when: string;
  condition?: string;
}

/**
 * The base policy set for one partner's agreement version: one permit for what is within scope
 * and ceiling, and one forbid per thing that must block, each annotated with @code and @reason so
 * that every withhold can say why. The forbids overlap the permit on purpose: the permit alone
 * would deny out-of-scope objects silently, a forbid names the reason.
 */
export function generateAgreementPolicies(partnerId: string, agreement: Agreement): GeneratedPolicies {
  const scope = agreement.scope;
  const ceiling = TLP_LEVELS.indexOf(agreement.tlp_ceiling);
  const typeSet = formatCedarStringSet(scope.types);
  const inTypes = scope.types.length > 0 ? `${typeSet}.contains(resource.stix_type)` : 'false';
  const forbids: Rule[] = [
    {
      id: 'partner-disabled',
      code: 'partner-disabled',
      reason: 'the partner is disabled',
      when: '!principal.enabled',
    },
    {
      id: 'agreement-expired',
      code: 'agreement-expired',
      reason: `the agreement expired${agreement.valid_until ? ` at ${agreement.valid_until}` : ''}`,
      when: 'context.agreement_state == "expired"',
    },
    {
      id: 'agreement-not-yet-valid',
      code: 'agreement-not-yet-valid',
      reason: `the agreement is not in force until ${agreement.valid_from ?? 'its start'}`,
      when: 'context.agreement_state == "not-yet-valid"',
    },
    {
      id: 'tlp-red',
      code: 'tlp-red',
      reason: 'TLP:RED is never released automatically',
      when: 'resource.marking_state == "tlp" && resource.tlp == 4',
    },
    {
      id: 'marking-missing',
      code: 'marking-missing',
      reason: 'the object has no TLP marking and the hub sets no default: its sharing level is unknown',
      when: 'resource.marking_state == "unmarked"',
    },
    {
      id: 'marking-unknown',
      code: 'marking-unknown',
      reason: 'the object carries a marking the hub does not recognise, which may forbid sharing',
      when: 'resource.marking_state == "unknown"',
    },
    {
      id: 'out-of-scope-type',
      code: 'out-of-scope-type',
      reason: `the object type is not in scope.types (${scope.types.join(', ') || 'none'})`,
      when: `!(${inTypes})`,
    },
  ];
  if (compareTlp(agreement.tlp_ceiling, 'amber+strict') < 0) {
    forbids.push({
      id: 'tlp-above-ceiling',
      code: 'tlp-above-ceiling',
      reason: `the object's TLP is above the agreement's ceiling, TLP:${agreement.tlp_ceiling.toUpperCase()}`,
      when: `resource.marking_state == "tlp" && resource.tlp > ${ceiling} && resource.tlp < 4`,
    });
  }
  if (scope.types_denied.length > 0) {
    forbids.push({
      id: 'type-denied',
      code: 'type-denied',
      reason: `the object type is in scope.types_denied (${scope.types_denied.join(', ')})`,
      when: `${formatCedarStringSet(scope.types_denied)}.contains(resource.stix_type)`,
    });
  }
  if (scope.labels !== undefined) {
    forbids.push({
      id: 'label-not-allowed',
      code: 'label-not-allowed',
      reason: `the object carries none of scope.labels (${scope.labels.join(', ') || 'none'})`,
      when:
        scope.labels.length > 0
          ? `!resource.labels.containsAny(${formatCedarStringSet(scope.labels)})`
          : 'true',
    });
  }
  if (scope.labels_denied.length > 0) {
    forbids.push({
      id: 'label-denied',
      code: 'label-denied',
      reason: `the object carries a label in scope.labels_denied (${scope.labels_denied.join(', ')})`,
      when: `resource.labels.containsAny(${formatCedarStringSet(scope.labels_denied)})`,
    });
  }
  if (scope.neighbourhood !== undefined) {
    forbids.push({
      id: 'outside-neighbourhood',
      code: 'outside-neighbourhood',
      reason: `the object is not within ${scope.neighbourhood.hops} hop(s) of ${scope.neighbourhood.of.join(', ')}`,
      when: '!resource.in_neighbourhood',
    });
  }
  if (scope.locations !== undefined) {
    forbids.push({
      id: 'outside-location',
      code: 'outside-location',
      reason: `the object is not one of, or directly related to, scope.locations (${scope.locations.join(', ')})`,
      when: '!resource.in_location',
    });
  }
  for (const c of listEffectiveConditions(agreement)) {
    const title = c.kind === 'assurance' ? c.title : c.kind;
    forbids.push({
      id: `condition.${c.id}`,
      code: 'condition-unmet',
      reason: `condition ${c.id} (${title}) is not met`,
      when: `principal.unmet_conditions.contains(${formatCedarString(c.id)})`,
      condition: c.id,
    });
  }

  const out: GeneratedPolicies = { policies: {}, meta: {} };
  const principal = `principal == Partner::${formatCedarString(partnerId)}`;
  const permitReason = `within the agreement's scope and at or below its TLP:${agreement.tlp_ceiling.toUpperCase()} ceiling`;
  out.policies['agreement.permit'] = [
    `@code("in-scope")`,
    `@reason(${formatCedarString(permitReason)})`,
    `permit (${principal}, action == Action::"release", resource is Intel)`,
    `when { ${inTypes} && resource.marking_state == "tlp" && resource.tlp <= ${ceiling} };`,
  ].join('\n');
  out.meta['agreement.permit'] = {
    code: 'in-scope',
    reason: permitReason,
    effect: 'permit',
    source: 'agreement',
  };
  for (const rule of forbids) {
    const id = `agreement.forbid.${rule.id}`;
    out.policies[id] = [
      `@code(${formatCedarString(rule.code)})`,
      `@reason(${formatCedarString(rule.reason)})`,
      ...(rule.condition !== undefined ? [`@condition(${formatCedarString(rule.condition)})`] : []),
      'forbid (principal, action == Action::"release", resource)',
      `when { ${rule.when} };`,
    ].join('\n');
    out.meta[id] = {
      code: rule.code,
      reason: rule.reason,
      effect: 'forbid',
      source: 'agreement',
      ...(rule.condition !== undefined && { condition: rule.condition }),
    };
  }
  return out;
}

export function formatPolicySetText(set: GeneratedPolicies): string {
  return Object.entries(set.policies)
    .map(([id, text]) => `// ${id}\n${text}`)
    .join('\n\n');
}
