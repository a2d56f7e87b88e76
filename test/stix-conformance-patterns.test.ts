import { describe, expect, it } from 'vitest';
import { parsePattern } from '../src/stix/pattern-check.js';
import { readFixtureJson } from './fixture-data.js';

interface PatternCase {
  pattern: string;
  expect_valid: boolean;
}

const cases = readFixtureJson<PatternCase[]>('conformance', 'stix-pattern-cases.json');

/** Where we disagree with the reference pattern validator, and the clause that justifies our verdict. */
const DISAGREEMENTS: Record<string, string> = {
  "[x_whatever:detected == t'2018-03-22T12:11:14.1Z']":
    "'x_whatever' contains underscores. Section 9.5 (object path: the object type is a STIX object type) " +
    'with section 2.9/11.1 (type names: only a-z, 0-9 and hyphen) make it an invalid object type.',
};

describe('conformance with the OASIS reference pattern validator', () => {
  const verdicts = cases.map((c) => parsePattern(c.pattern));

  it('agrees on at least 95% of the 36 patterns', () => {
    expect(cases.length).toBe(36);
    const agreeing = cases.filter((c, i) => verdicts[i]?.ok === c.expect_valid).length;
    expect(agreeing / cases.length).toBeGreaterThanOrEqual(0.95);
  });

  cases.forEach((c, i) => {
    const justification = DISAGREEMENTS[c.pattern];
    it(`#${i} ${c.pattern.slice(0, 70)}: reference says ${c.expect_valid ? 'valid' : 'invalid'}${justification ? '; we disagree' : ''}`, () => {
      const v = verdicts[i];
      const detail = v && !v.ok ? JSON.stringify(v.errors) : '';
      expect(v?.ok, detail).toBe(justification ? !c.expect_valid : c.expect_valid);
    });
  });
});
