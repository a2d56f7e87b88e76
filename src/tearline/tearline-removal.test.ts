import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonObject, JsonValue } from '../stix/types.js';
import { applyRemovals, RemovalPlan } from './tearline-removal.js';
import { type PathSegment, selectPath } from './tearline-selector.js';

/** Every path to a primitive (leaf) value, and every path at all. */
function pathsOf(
  value: JsonValue,
  prefix: PathSegment[] = [],
  all: PathSegment[][] = [],
  leaves: PathSegment[][] = [],
) {
  if (prefix.length > 0) all.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => void pathsOf(v, [...prefix, i], all, leaves));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) pathsOf(v, [...prefix, k], all, leaves);
  } else leaves.push(prefix);
  return { all, leaves };
}

function isUnder(path: PathSegment[], removed: PathSegment[][]): boolean {
  return removed.some((r) => r.length <= path.length && r.every((s, i) => s === path[i]));
}

const caseArb = fc
  .dictionary(fc.string({ minLength: 1, maxLength: 4 }), fc.jsonValue({ maxDepth: 3 }), {
    minKeys: 1,
    maxKeys: 6,
  })
  .chain((obj) => {
    const { all } = pathsOf(obj as JsonValue);
    return fc.record({
      obj: fc.constant(obj as JsonObject),
      removed:
        all.length === 0
          ? fc.constant<PathSegment[][]>([])
          : fc.uniqueArray(fc.constantFrom(...all), { maxLength: 4 }),
    });
  });

describe('applyRemovals', () => {
  it('keeps every other leaf, finds it through mapPath, and leaves no container it emptied', () => {
    fc.assert(
      fc.property(caseArb, ({ obj, removed }) => {
        const plan = new RemovalPlan();
        for (const path of removed) plan.add(path, 'granular-marking');
        const applied = applyRemovals(obj, plan);
        for (const leaf of pathsOf(obj).leaves) {
          const mapped = applied.mapPath(leaf);
          if (isUnder(leaf, removed)) {
            expect(mapped).toBeUndefined();
          } else {
            expect(mapped).toBeDefined();
            expect(selectPath(applied.copy, mapped ?? [])).toEqual(selectPath(obj, leaf));
          }
        }
        // Removed values are gone: the copy has exactly the surviving leaves.
        const survivors = pathsOf(obj).leaves.filter((l) => !isUnder(l, removed)).length;
        expect(pathsOf(applied.copy).leaves.length).toBe(survivors);
        if (removed.length === 0) expect(applied.copy).toEqual(obj);
      }),
      { numRuns: 300 },
    );
  });

  it('re-indexes a list and records each removal once, outermost first', () => {
    const plan = new RemovalPlan();
    plan.add(['a', 1], 'internal-label');
    plan.add(['a', 1, 'x'], 'granular-marking');
    plan.add(['b', 0], 'reference-closure');
    const applied = applyRemovals({ a: ['p', { x: 1 }, 'q'], b: ['only'] }, plan);
    expect(applied.copy).toEqual({ a: ['p', 'q'] });
    expect(applied.mapPath(['a', 2])).toEqual(['a', 1]);
    expect(applied.removed).toEqual([
      { path: 'a.[1]', rule: 'internal-label' },
      { path: 'b.[0]', rule: 'reference-closure' },
      { path: 'b', rule: 'empty-after-removal' },
    ]);
    expect(applied.goneTopLevel.get('b')).toBe('reference-closure');
  });
});

describe('copies of objects with a "__proto__" key', () => {
  it('keep it as an ordinary property, as JSON.parse made it (a property test found it lost)', () => {
    const obj = JSON.parse('{"a": {"__proto__": false, "b": 1}, "c": {"__proto__": {"d": 2}}}');
    const applied = applyRemovals(obj, new RemovalPlan());
    expect(JSON.stringify(applied.copy)).toBe(JSON.stringify(obj));
    const a = applied.copy.a as Record<string, unknown>;
    expect(Object.hasOwn(a, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(a)).toBe(Object.prototype);
    expect(applied.mapPath(['a', '__proto__'])).toEqual(['a', '__proto__']);
  });
});
