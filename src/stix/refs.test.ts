import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collectRefs, isIdentifierLike } from './refs.js';

// The shape collectRefs has always accepted, as a regular expression: the reference for the
// hand-written check.
const ID_SHAPE =
  /^[a-z0-9][a-z0-9-]*--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

const hex = fc.constantFrom(...'0123456789abcdefABCDEF'.split(''));
const hexRun = (n: number) => fc.array(hex, { minLength: n, maxLength: n }).map((a) => a.join(''));
const uuidLike = fc
  .tuple(hexRun(8), hexRun(4), hexRun(4), hexRun(4), hexRun(12))
  .map((parts) => parts.join('-'));
const prefixChar = fc.constantFrom(...'abz09-A_.-'.split(''));
const prefix = fc.array(prefixChar, { minLength: 0, maxLength: 12 }).map((a) => a.join(''));
/** Identifier-shaped strings, then small corruptions of them (a character changed, cut or added). */
const candidates = fc.oneof(
  fc.tuple(prefix, uuidLike).map(([p, u]) => `${p}--${u}`),
  fc
    .tuple(prefix, uuidLike, fc.nat(60), fc.constantFrom('-', 'g', 'G', ' ', '', 'a', '--'))
    .map(([p, u, at, c]) => {
      const s = `${p}--${u}`;
      const i = at % (s.length + 1);
      return s.slice(0, i) + c + s.slice(i + 1);
    }),
  fc.string({ maxLength: 50 }),
);

describe('isIdentifierLike', () => {
  it('accepts exactly the strings of the identifier shape', () => {
    fc.assert(
      fc.property(candidates, (s) => {
        expect(isIdentifierLike(s)).toBe(ID_SHAPE.test(s));
      }),
      { numRuns: 5000 },
    );
  });

  it('takes identifiers at any depth and skips values that only look like references', () => {
    const id = 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f';
    const refs = collectRefs({
      created_by_ref: 'identity--f431f809-377b-45e0-aa1c-6a4751cae5ff',
      object_refs: [id, 'not-an-id', '--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f'],
      extensions: { x: { sample_ref: 'Indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f' } },
      granular_markings: [{ marking_ref: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da' }],
    });
    expect(refs).toEqual([
      { path: 'created_by_ref', id: 'identity--f431f809-377b-45e0-aa1c-6a4751cae5ff' },
      { path: 'object_refs[0]', id },
      {
        path: 'granular_markings[0].marking_ref',
        id: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da',
      },
    ]);
  });
});
