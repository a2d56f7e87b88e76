import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../stix/canonical-json.js';
import type { JsonObject } from '../stix/types.js';
import { canonicalJsonOf, digestCanonicalJson } from './tearline-digest.js';

describe('canonical JSON (RFC 8785)', () => {
  it('equals the canonicalize package on arbitrary JSON objects', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ unit: 'binary' }), fc.jsonValue()), (obj) => {
        expect(canonicalJsonOf(obj as JsonObject)).toBe(canonicalJson(obj));
      }),
      { numRuns: 300 },
    );
  });

  it('sorts keys by UTF-16 code units and gives the RFC 8785 number forms', () => {
    const obj = { '\u20ac': 1, '\r': 2, '\ud83d\ude00': 3, '1': 4, b: [1e21, 1e-7, -0, 0.1] };
    expect(canonicalJsonOf(obj)).toBe('{"\\r":2,"1":4,"b":[1e+21,1e-7,0,0.1],"€":1,"😀":3}');
    expect(canonicalJsonOf({ n: Number.NaN })).toBeUndefined();
  });

  it('digests the canonical text with SHA-256', () => {
    expect(digestCanonicalJson('{}')).toBe(
      '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
    );
  });
});
