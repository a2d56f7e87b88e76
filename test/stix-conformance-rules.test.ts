import { describe, expect, it } from 'vitest';
import { validateObject } from '../src/stix/validate.js';
import { validateBundle } from '../src/stix/validate-bundle.js';
import type { ValidationIssue } from '../src/stix/validation-types.js';
import { RULE_CASES, type RuleCase } from './stix-rule-cases.js';

function findings(c: RuleCase, doc: unknown): { errors: ValidationIssue[]; warnings: ValidationIssue[] } {
  const isBundle = (doc as { type?: unknown } | null)?.type === 'bundle' && (c.bundle || doc !== c.bad);
  if (!isBundle) return validateObject(doc);
  const r = validateBundle(doc);
  return {
    errors: [...r.errors, ...r.objects.flatMap((o) => o.errors)],
    warnings: [...r.warnings, ...r.objects.flatMap((o) => o.warnings)],
  };
}

/** Each rule of docs/stix-conformance.md, proved on a document that breaks it and the same put right. */
describe('STIX 2.1 rules, one case each (docs/stix-conformance.md)', () => {
  it.each(RULE_CASES.map((c) => [`${c.code} (${c.level}): ${c.clause}`, c] as const))('%s', (_, c) => {
    const bad = findings(c, c.bad);
    const reported = c.level === 'error' ? bad.errors : bad.warnings;
    expect(
      reported.map((e) => e.code),
      JSON.stringify([...bad.errors, ...bad.warnings]),
    ).toContain(c.code);
    const good = findings(c, c.good);
    const all = [...good.errors, ...good.warnings];
    expect(
      all.filter((e) => e.code === c.code),
      JSON.stringify(all),
    ).toEqual([]);
  });
});
