import { describe, expect, it } from 'vitest';
import { validateObject } from '../src/stix/validate.js';
import { validateBundle } from '../src/stix/validate-bundle.js';
import type { ValidationResult } from '../src/stix/validation-types.js';
import { readFixtureText } from './fixture-data.js';

interface DocCase {
  name: string;
  expect_valid: boolean;
  doc: { type?: unknown };
}

const cases: DocCase[] = readFixtureText('conformance', 'stix-validity-cases.jsonl')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as DocCase);

/**
 * The labels are the reference validator's verdicts under its test options, which are strict
 * (SHOULD findings fail). We compare with our strict mode, minus checks the reference does not
 * make at all (its --disable equivalent):
 * - sco-id-mismatch: the reference checks only the UUID version of SCO ids, not the UUIDv5 value.
 * - created-by-ref-not-identity: the reference does not look at the target type of created_by_ref.
 */
const NOT_IN_REFERENCE = new Set(['sco-id-mismatch', 'created-by-ref-not-identity']);

/**
 * Where we disagree, and the clause of STIX 2.1 that justifies our verdict.
 * Keyed by case index in the file (names repeat).
 */
const DISAGREEMENTS: Record<number, string> = {
  58:
    'src_ref "ipv4-addr--e42c19c8-f9fe-5ae9-9fc8-22c398f78fb" has 11 hex digits in its last UUID group. ' +
    'Section 2.9: identifiers MUST be type--UUID with an RFC 4122 UUID (8-4-4-4-12 hex digits), so the object is invalid.',
  62: 'Same malformed src_ref as case 58; section 2.9 makes it invalid whatever the rest of the object says.',
};

function verdictOf(doc: unknown): ValidationResult {
  const ctx = { strict: true, disabled: NOT_IN_REFERENCE };
  if ((doc as { type?: unknown }).type === 'bundle') return validateBundle(doc, ctx);
  return validateObject(doc, ctx);
}

describe('conformance with the OASIS reference validator (documents)', () => {
  const verdicts = cases.map((c) => verdictOf(c.doc));

  it('agrees on at least 98% of the 111 documents', () => {
    const agreeing = cases.filter((c, i) => verdicts[i]?.valid === c.expect_valid).length;
    expect(cases.length).toBe(111);
    expect(agreeing / cases.length).toBeGreaterThanOrEqual(0.98);
  });

  cases.forEach((c, i) => {
    const justification = DISAGREEMENTS[i];
    const title = `#${i} ${c.name}: reference says ${c.expect_valid ? 'valid' : 'invalid'}`;
    it(justification ? `${title}; we disagree (${justification.slice(0, 60)}...)` : title, () => {
      const v = verdicts[i] as ValidationResult;
      const detail = JSON.stringify(v.errors.map((e) => `${e.path} ${e.code}: ${e.message}`));
      if (justification) expect(v.valid, detail).toBe(!c.expect_valid);
      else expect(v.valid, detail).toBe(c.expect_valid);
    });
  });
});
