import { bool, int, listOf, ref, str, timestamp } from './property-checks.js';
import { listedTargetsIfUnlisted } from './relationship-table.js';
import { typeOfIdentifier } from './stix-formats.js';
import { categoryOfType } from './type-categories.js';
import { ruleTimeOrder } from './type-rules.js';
import type { TypeSpec } from './type-spec.js';
import { quote } from './validation-sink.js';

const RELATIONSHIP_TYPE_RE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const endpoint = ref({ categories: ['sdo', 'sco'] });

export const SRO_SPECS: readonly TypeSpec[] = [
  {
    type: 'relationship',
    category: 'sro',
    props: {
      relationship_type: str,
      description: str,
      source_ref: endpoint,
      target_ref: endpoint,
      start_time: timestamp,
      stop_time: timestamp,
    },
    required: ['relationship_type', 'source_ref', 'target_ref'],
    rules: [
      ruleTimeOrder('start_time', 'stop_time', true),
      (o, s) => {
        const rt = o.relationship_type;
        if (typeof rt !== 'string') return;
        // section 5.1.2: MUST be ASCII a-z, 0-9 and hyphen; words joined by single hyphens is style.
        if (!/^[a-z0-9-]+$/.test(rt)) {
          s.error(
            'relationship_type',
            'invalid-format',
            `relationship_type: ${quote(rt)} must use only a-z, 0-9 and hyphens, like 'indicates'`,
          );
        } else if (!RELATIONSHIP_TYPE_RE.test(rt)) {
          s.warn(
            'relationship_type',
            'format-advice',
            `relationship_type: ${quote(rt)} should be lowercase words joined by hyphens`,
          );
        }
        const src = typeof o.source_ref === 'string' ? typeOfIdentifier(o.source_ref) : undefined;
        const tgt = typeof o.target_ref === 'string' ? typeOfIdentifier(o.target_ref) : undefined;
        if (src === undefined || tgt === undefined) return;
        const listed = listedTargetsIfUnlisted(
          src,
          rt,
          tgt,
          (t) => categoryOfType(t) === 'sco',
          (t) => categoryOfType(t) !== undefined,
        );
        if (listed === undefined) return;
        const hint =
          listed.length > 0
            ? `the spec lists ${listed.join(', ')} as targets`
            : `the spec defines no '${rt}' from ${src}`;
        s.warn(
          'relationship_type',
          'relationship-not-recommended',
          `relationship_type: '${rt}' from ${src} to ${tgt} is not a spec relationship; ${hint} (or use related-to)`,
        );
      },
    ],
  },
  {
    type: 'sighting',
    category: 'sro',
    props: {
      description: str,
      first_seen: timestamp,
      last_seen: timestamp,
      count: int(0, 999_999_999),
      sighting_of_ref: ref({ categories: ['sdo'] }),
      observed_data_refs: listOf(ref({ types: ['observed-data'] })),
      where_sighted_refs: listOf(ref({ types: ['identity', 'location'] })),
      summary: bool,
    },
    required: ['sighting_of_ref'],
    rules: [ruleTimeOrder('first_seen', 'last_seen')],
  },
];
