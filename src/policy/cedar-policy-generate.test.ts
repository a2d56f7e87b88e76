import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Agreement } from './agreement-types.js';
import { validatePolicies } from './cedar-engine.js';
import { generateAgreementPolicies } from './cedar-policy-generate.js';
import { formatCedarString } from './cedar-schema.js';

describe('generateAgreementPolicies', () => {
  it('property: the generated set validates against the schema, whatever labels and titles say', () => {
    const text = fc.string({ unit: 'binary', minLength: 1, maxLength: 20 });
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom('indicator', 'report', 'x-mitre-tactic'), { maxLength: 3 }),
        fc.uniqueArray(text, { maxLength: 3 }),
        fc.option(fc.uniqueArray(text, { maxLength: 3 }), { nil: undefined }),
        text,
        fc.constantFrom('clear', 'green', 'amber', 'amber+strict', 'red'),
        (types, denied, allowed, title, ceiling) => {
          const a: Agreement = {
            scope: {
              types,
              types_denied: [],
              labels_denied: denied,
              ...(allowed !== undefined && { labels: allowed }),
              neighbourhood: { of: ['intrusion-set--61b02d56-da70-59e6-8cd5-5c26b36ce2bf'], hops: 1 },
              locations: ['location--61b02d56-da70-59e6-8cd5-5c26b36ce2bf'],
            },
            tlp_ceiling: ceiling,
            approval: 'one',
            sanitisation: 'strict',
            conditions: [{ kind: 'assurance', id: 'hr-1', title, evidence: [] }],
          };
          const set = generateAgreementPolicies(`identity--"${title}`, a);
          expect(validatePolicies(set.policies)).toEqual({ ok: true });
          for (const [id, m] of Object.entries(set.meta)) {
            expect(set.policies[id]).toContain(`@reason(${formatCedarString(m.reason)})`);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('escapes Cedar strings', () => {
    expect(formatCedarString('a"b\\c\nd\u0001')).toBe('"a\\"b\\\\c\\nd\\u{1}"');
  });
});
