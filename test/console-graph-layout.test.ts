import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { layoutRadial } from '../web/src/graph-layout.js';

const SIZE = 520;
const MARGIN = 60;

const graphs = fc.integer({ min: 1, max: 30 }).chain((n) =>
  fc.record({
    ids: fc.constant(Array.from({ length: n }, (_, i) => `n${i}`)),
    edges: fc.array(
      fc.record({ source: fc.nat(n - 1).map((i) => `n${i}`), target: fc.nat(n - 1).map((i) => `n${i}`) }),
      { maxLength: 60 },
    ),
  }),
);

describe('layoutRadial (the console graph)', () => {
  it('places every node inside the margins, the centre in the middle, each ring at one radius', () => {
    fc.assert(
      fc.property(graphs, ({ ids, edges }) => {
        const pos = layoutRadial(ids, edges, 'n0', SIZE, MARGIN);
        expect([...pos.keys()].sort()).toEqual([...ids].sort());
        expect(pos.get('n0')).toEqual({ x: SIZE / 2, y: SIZE / 2 });
        const radii = new Set<string>();
        for (const p of pos.values()) {
          expect(p.x).toBeGreaterThanOrEqual(MARGIN - 1e-9);
          expect(p.x).toBeLessThanOrEqual(SIZE - MARGIN + 1e-9);
          expect(p.y).toBeGreaterThanOrEqual(MARGIN - 1e-9);
          expect(p.y).toBeLessThanOrEqual(SIZE - MARGIN + 1e-9);
          radii.add(Math.hypot(p.x - SIZE / 2, p.y - SIZE / 2).toFixed(6));
        }
        // No more distinct radii than rings: the centre, each hop distance, the unconnected.
        expect(radii.size).toBeLessThanOrEqual(ids.length);
        // The same graph always gives the same drawing.
        expect(layoutRadial(ids, edges, 'n0', SIZE, MARGIN)).toEqual(pos);
      }),
      { numRuns: 200 },
    );
  });

  it('puts direct neighbours on the first ring and their neighbours further out', () => {
    const pos = layoutRadial(
      ['a', 'b', 'c', 'd'],
      [
        { source: 'a', target: 'b' },
        { source: 'c', target: 'a' },
        { source: 'b', target: 'd' },
      ],
      'a',
      SIZE,
      MARGIN,
    );
    const r = (id: string) => Math.hypot((pos.get(id)?.x ?? 0) - 260, (pos.get(id)?.y ?? 0) - 260);
    expect(r('b')).toBeCloseTo(r('c'));
    expect(r('d')).toBeGreaterThan(r('b'));
  });
});
