import canonicalizeModule from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, tryCanonicalJson } from './canonical-json.js';

const reference = canonicalizeModule as unknown as (input: unknown) => string | undefined;

describe('canonicalJson (RFC 8785)', () => {
  it('equals the canonicalize package on any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(canonicalJson(v)).toBe(reference(v));
      }),
      { numRuns: 500 },
    );
  });
  it('sorts keys by UTF-16 code units, including keys that look like array indices', () => {
    expect(canonicalJson({ b: 1, a: [true, null], '10': 'x', '9': 'y', é: 0, z: -0 })).toBe(
      '{"10":"x","9":"y","a":[true,null],"b":1,"z":0,"é":0}',
    );
  });
  it('has no form for non-finite numbers', () => {
    expect(tryCanonicalJson({ a: Number.NaN })).toBeUndefined();
    expect(() => canonicalJson(Number.POSITIVE_INFINITY)).toThrow(TypeError);
  });
});
