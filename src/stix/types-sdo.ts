import { killChainPhase } from './common-properties.js';
import { isIso31661Alpha2 } from './language-codes.js';
import { checkObservableContainer } from './observable-container.js';
import { parsePattern } from './pattern-check.js';
import { bool, dictOf, int, listOf, num, oneOf, ref, str, timestamp, vocab } from './property-checks.js';
import { typeOfIdentifier } from './stix-formats.js';
import { VOCABS } from './stix-vocabularies.js';
import { categoryOfType } from './type-categories.js';
import { ruleAnyOf, ruleRequires, ruleTimeOrder } from './type-rules.js';
import type { TypeSpec } from './type-spec.js';
import { quote } from './validation-sink.js';

const strs = listOf(str);
const kcps = listOf(killChainPhase);
const anyRefs = listOf(
  ref({ categories: ['sdo', 'sco', 'sro'], types: ['marking-definition', 'language-content'] }),
);
const v = (name: keyof typeof VOCABS) => vocab(name, VOCABS[name]);
const vs = (name: keyof typeof VOCABS) => listOf(v(name));
const seen = ruleTimeOrder('first_seen', 'last_seen');
/** What a campaign and an intrusion set both say of themselves: who, and when they were active. */
const namedActivity = {
  name: str,
  description: str,
  aliases: strs,
  first_seen: timestamp,
  last_seen: timestamp,
};

export const SDO_SPECS: readonly TypeSpec[] = [
  {
    type: 'attack-pattern',
    category: 'sdo',
    props: { name: str, description: str, aliases: strs, kill_chain_phases: kcps },
    required: ['name'],
  },
  {
    type: 'campaign',
    category: 'sdo',
    props: {
      ...namedActivity,
      objective: str,
    },
    required: ['name'],
    rules: [seen],
  },
  {
    type: 'course-of-action',
    category: 'sdo',
    props: { name: str, description: str },
    required: ['name'],
    reserved: ['action'],
  },
  {
    type: 'grouping',
    category: 'sdo',
    props: { name: str, description: str, context: v('grouping-context-ov'), object_refs: anyRefs },
    required: ['context', 'object_refs'],
  },
  {
    type: 'identity',
    category: 'sdo',
    props: {
      name: str,
      description: str,
      roles: strs,
      identity_class: v('identity-class-ov'),
      sectors: vs('industry-sector-ov'),
      contact_information: str,
    },
    required: ['name'],
  },
  {
    type: 'incident',
    category: 'sdo',
    props: { name: str, description: str, kill_chain_phases: kcps },
    required: ['name'],
  },
  {
    type: 'indicator',
    category: 'sdo',
    props: {
      name: str,
      description: str,
      indicator_types: vs('indicator-type-ov'),
      pattern: str,
      pattern_type: v('pattern-type-ov'),
      pattern_version: str,
      valid_from: timestamp,
      valid_until: timestamp,
      kill_chain_phases: kcps,
    },
    required: ['pattern', 'pattern_type', 'valid_from'],
    // section 4.7: producers SHOULD give name and description.
    recommended: ['name', 'description'],
    rules: [
      ruleTimeOrder('valid_from', 'valid_until', true),
      (o, s) => {
        if (o.pattern_type !== 'stix' || typeof o.pattern !== 'string') return;
        const parsed = parsePattern(o.pattern);
        if (parsed.ok) return;
        for (const e of parsed.errors) {
          s.error('pattern', 'invalid-pattern', `pattern: at ${e.line}:${e.column}: ${e.message}`);
        }
      },
    ],
  },
  {
    type: 'infrastructure',
    category: 'sdo',
    props: {
      name: str,
      description: str,
      infrastructure_types: vs('infrastructure-type-ov'),
      aliases: strs,
      kill_chain_phases: kcps,
      first_seen: timestamp,
      last_seen: timestamp,
    },
    required: ['name'],
    rules: [seen],
  },
  {
    type: 'intrusion-set',
    category: 'sdo',
    props: {
      ...namedActivity,
      goals: strs,
      resource_level: v('attack-resource-level-ov'),
      primary_motivation: v('attack-motivation-ov'),
      secondary_motivations: vs('attack-motivation-ov'),
    },
    required: ['name'],
    rules: [seen],
  },
  {
    type: 'location',
    category: 'sdo',
    props: {
      name: str,
      description: str,
      latitude: num(-90, 90),
      longitude: num(-180, 180),
      precision: num(0),
      region: v('region-ov'),
      country: str,
      administrative_area: str,
      city: str,
      street_address: str,
      postal_code: str,
    },
    rules: [
      (o, s) => {
        const hasPoint = o.latitude !== undefined && o.longitude !== undefined;
        if (o.region === undefined && o.country === undefined && !hasPoint) {
          s.error(
            '',
            'co-constraint',
            'a location needs region, country, or both latitude and longitude; add one',
          );
        }
      },
      ruleRequires('latitude', 'longitude'),
      ruleRequires('longitude', 'latitude'),
      ruleRequires('precision', 'latitude'),
      (o, s) => {
        const c = o.country;
        // section 4.10: country SHOULD be an ISO 3166-1 alpha-2 code.
        if (typeof c === 'string' && !isIso31661Alpha2(c)) {
          s.warn(
            'country',
            'format-advice',
            `country: ${quote(c)} should be an ISO 3166-1 alpha-2 code like 'th'`,
          );
        }
      },
    ],
  },
  {
    type: 'malware',
    category: 'sdo',
    props: {
      name: str,
      description: str,
      malware_types: vs('malware-type-ov'),
      is_family: bool,
      aliases: strs,
      kill_chain_phases: kcps,
      first_seen: timestamp,
      last_seen: timestamp,
      operating_system_refs: listOf(ref({ types: ['software'] })),
      architecture_execution_envs: vs('processor-architecture-ov'),
      implementation_languages: vs('implementation-language-ov'),
      capabilities: vs('malware-capabilities-ov'),
      sample_refs: listOf(ref({ types: ['file', 'artifact'] })),
    },
    required: ['is_family'],
    rules: [
      seen,
      (o, s) => {
        if (o.is_family === true && o.name === undefined) {
          s.error('name', 'missing-required', 'name: is required when is_family is true; add it');
        }
      },
    ],
  },
  {
    type: 'malware-analysis',
    category: 'sdo',
    props: {
      product: str,
      version: str,
      host_vm_ref: ref({ types: ['software'] }),
      operating_system_ref: ref({ types: ['software'] }),
      installed_software_refs: listOf(ref({ types: ['software'] })),
      configuration_version: str,
      modules: strs,
      analysis_engine_version: str,
      analysis_definition_version: str,
      submitted: timestamp,
      analysis_started: timestamp,
      analysis_ended: timestamp,
      result_name: str,
      result: v('malware-result-ov'),
      analysis_sco_refs: listOf(ref({ categories: ['sco'] })),
      sample_ref: ref({ types: ['file', 'artifact', 'network-traffic'] }),
    },
    required: ['product'],
    rules: [
      (o, s) => {
        // section 4.12.1: product names SHOULD be lowercase words separated by dashes.
        const product = o.product;
        if (typeof product === 'string' && !/^[a-z0-9-]+$/.test(product)) {
          s.warn(
            'product',
            'format-advice',
            `product: ${quote(product)} should be lowercase words joined by dashes, like 'microsoft-defender'`,
          );
        }
      },
      ruleAnyOf(['result', 'analysis_sco_refs']),
      ruleTimeOrder('analysis_started', 'analysis_ended', false, true),
    ],
  },
  {
    type: 'note',
    category: 'sdo',
    props: { abstract: str, content: str, authors: strs, object_refs: anyRefs },
    required: ['content', 'object_refs'],
  },
  {
    type: 'observed-data',
    category: 'sdo',
    props: {
      first_observed: timestamp,
      last_observed: timestamp,
      number_observed: int(1, 999_999_999),
      objects: dictOf(),
      object_refs: listOf(ref({ categories: ['sco'], types: ['relationship'] })),
    },
    required: ['first_observed', 'last_observed', 'number_observed'],
    rules: [
      ruleTimeOrder('first_observed', 'last_observed'),
      (o, s) => {
        const hasObjects = o.objects !== undefined;
        if (hasObjects === (o.object_refs !== undefined)) {
          s.error(
            '',
            'co-constraint',
            'observed-data needs exactly one of object_refs or objects; use object_refs',
          );
        }
        if (hasObjects) {
          s.warn('objects', 'deprecated', 'objects: is deprecated in STIX 2.1; use object_refs');
          checkObservableContainer(o.objects, s);
        }
        // section 4.13: object_refs MUST contain at least one SCO reference.
        const refs = o.object_refs;
        if (Array.isArray(refs) && refs.length > 0) {
          const anySco = refs.some((r) => {
            const t = typeof r === 'string' ? typeOfIdentifier(r) : undefined;
            return t !== undefined && categoryOfType(t) !== 'sro';
          });
          if (!anySco)
            s.error(
              'object_refs',
              'co-constraint',
              'object_refs: must reference at least one SCO, not only relationships',
            );
        }
      },
    ],
  },
  {
    type: 'opinion',
    category: 'sdo',
    props: {
      explanation: str,
      authors: strs,
      opinion: oneOf(['strongly-disagree', 'disagree', 'neutral', 'agree', 'strongly-agree']),
      object_refs: anyRefs,
    },
    required: ['opinion', 'object_refs'],
  },
  {
    type: 'report',
    category: 'sdo',
    props: {
      name: str,
      description: str,
      report_types: vs('report-type-ov'),
      published: timestamp,
      object_refs: anyRefs,
    },
    required: ['name', 'published', 'object_refs'],
  },
  {
    type: 'threat-actor',
    category: 'sdo',
    props: {
      name: str,
      description: str,
      threat_actor_types: vs('threat-actor-type-ov'),
      aliases: strs,
      first_seen: timestamp,
      last_seen: timestamp,
      roles: vs('threat-actor-role-ov'),
      goals: strs,
      sophistication: v('threat-actor-sophistication-ov'),
      resource_level: v('attack-resource-level-ov'),
      primary_motivation: v('attack-motivation-ov'),
      secondary_motivations: vs('attack-motivation-ov'),
      personal_motivations: vs('attack-motivation-ov'),
    },
    required: ['name'],
    rules: [seen],
  },
  {
    type: 'tool',
    category: 'sdo',
    props: {
      name: str,
      description: str,
      tool_types: vs('tool-type-ov'),
      aliases: strs,
      kill_chain_phases: kcps,
      tool_version: str,
    },
    required: ['name'],
  },
  {
    type: 'vulnerability',
    category: 'sdo',
    props: { name: str, description: str },
    required: ['name'],
  },
];
