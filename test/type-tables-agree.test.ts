import { describe, expect, it } from 'vitest';
import { SCO_SPECS } from '../src/stix/types-sco.js';
import { SDO_SPECS } from '../src/stix/types-sdo.js';
import { SCO_COMMON, SDO_COMMON, TYPE_RULES } from '../src/tearline/tearline-type-registry.js';

/*
 * The validator's type tables (src/stix) say what is valid STIX; the tearline's registry says
 * what a copy may carry. They are kept apart on purpose: a property added to validation must not
 * reach partners without its own decision here. This pins where they differ, so any drift
 * between the two is a failing test that names the type and the property.
 */
/** The common properties (not checked per type by the validator). */
const COMMON = new Set([...SDO_COMMON, ...SCO_COMMON]);

/** Where they differ by design: 'type: property' (+ only the tearline has it, - only the validator). */
const KNOWN = [
  // RESERVED by STIX 2.1, so the validator gives it no check; the tearline still knows it.
  'course-of-action: +action',
  // Deprecated in STIX 2.1 (object_refs replaces it): the tearline treats it as unknown.
  'observed-data: -objects',
];

describe('the validator and the tearline know the same types', () => {
  it('every SDO and SCO has tearline rules of its kind with the same specific properties', () => {
    const diffs: string[] = [];
    for (const spec of [...SDO_SPECS, ...SCO_SPECS]) {
      const rules = TYPE_RULES[spec.type];
      if (!rules) {
        diffs.push(`${spec.type}: no tearline rules`);
        continue;
      }
      const stix = new Set(Object.keys(spec.props));
      for (const p of rules.properties) if (!COMMON.has(p) && !stix.has(p)) diffs.push(`${spec.type}: +${p}`);
      for (const p of stix) if (!rules.properties.has(p)) diffs.push(`${spec.type}: -${p}`);
      for (const p of spec.required ?? [])
        if (!rules.required.includes(p)) diffs.push(`${spec.type}: required ${p}`);
    }
    expect(diffs.sort()).toEqual([...KNOWN].sort());
  });
});
