import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../stix/types.js';
import { diffAgreements, formatAgreementChanges } from './agreement-diff.js';

describe('diffAgreements', () => {
  it('reports changed scalars, set changes in lists and conditions by id', () => {
    const a = {
      tlp_ceiling: 'green',
      scope: { types: ['indicator', 'report'] },
      conditions: [
        { kind: 'assurance', id: 'hr-1', valid_until: '2026-12-31T00:00:00Z' },
        { kind: 'breach', id: 'breach' },
      ],
    };
    const b = {
      tlp_ceiling: 'amber',
      scope: { types: ['report', 'indicator', 'sighting'] },
      conditions: [{ kind: 'assurance', id: 'hr-1', valid_until: '2027-06-30T00:00:00Z' }],
      embargo: 'PT24H',
    };
    expect(formatAgreementChanges(diffAgreements(a, b)).split('\n')).toEqual([
      '~ tlp_ceiling: "green" -> "amber"',
      '+ scope.types: "sighting"',
      '~ conditions[id=hr-1].valid_until: "2026-12-31T00:00:00Z" -> "2027-06-30T00:00:00Z"',
      '- conditions[id=breach]: {"kind":"breach","id":"breach"}',
      '+ embargo: "PT24H"',
    ]);
  });

  it('property: documents of nested fields differ exactly when a change is reported, at that path', () => {
    const scalar = fc.oneof(
      fc.string({ maxLength: 4 }),
      fc.integer({ min: 0, max: 3 }),
      fc.boolean(),
      fc.constant(null),
    );
    const { doc } = fc.letrec<{ doc: JsonValue }>((tie) => ({
      doc: fc.oneof(
        { depthSize: 'small' },
        scalar,
        fc.dictionary(fc.constantFrom('a', 'b', 'c'), tie('doc'), { maxKeys: 3 }),
      ),
    }));
    fc.assert(
      fc.property(doc, doc, (a, b) => {
        const changes = diffAgreements(a, b);
        expect(changes.length === 0).toBe(JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b)));
        for (const c of changes) expect(valueAt(c.op === 'removed' ? a : b, c.path)).not.toBe(MISSING);
      }),
      { numRuns: 200 },
    );
  });
});

const MISSING = Symbol('missing');

function sortKeys(v: JsonValue): JsonValue {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  return Object.fromEntries(
    Object.keys(v)
      .sort()
      .map((k) => [k, sortKeys(v[k] as JsonValue)]),
  );
}

function valueAt(v: JsonValue, path: string): unknown {
  let cur: unknown = v;
  for (const key of path === '' ? [] : path.split('.')) {
    if (cur === null || typeof cur !== 'object' || !(key in cur)) return MISSING;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}
