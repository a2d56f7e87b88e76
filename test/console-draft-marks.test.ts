import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type MarkSource, runsOf } from '../web/src/draft-marks.js';

const KINDS = ['group', 'location', 'incident', 'indicator', 'relationship'];

const cases = fc.string({ maxLength: 80 }).chain((text) =>
  fc.record({
    text: fc.constant(text),
    items: fc.array(
      fc.record({
        key: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
        kind: fc.constantFrom(...KINDS),
        name: fc.constant('n'),
        evidence: fc.array(
          fc.record({
            // Offsets past the text, negative or reversed must not break the tiling.
            start: fc.integer({ min: -3, max: text.length + 3 }),
            end: fc.integer({ min: -3, max: text.length + 3 }),
            rule: fc.constant('r'),
            confidence: fc.double({ min: 0, max: 1, noNaN: true }),
          }),
          { maxLength: 4 },
        ),
      }),
      { maxLength: 6 },
    ),
  }),
);

/** Keys whose evidence covers position p (relationships are never highlighted). */
function coveringKeys(items: MarkSource[], text: string, p: number): Set<string> {
  const keys = new Set<string>();
  for (const i of items) {
    if (i.kind === 'relationship') continue;
    for (const e of i.evidence) {
      if (Math.max(0, e.start) <= p && p < Math.min(text.length, e.end)) keys.add(i.key);
    }
  }
  return keys;
}

describe('runsOf (the drafts page highlighting)', () => {
  it('tiles the text exactly; each character lists every item whose evidence covers it and no other', () => {
    fc.assert(
      fc.property(cases, ({ text, items }) => {
        const runs = runsOf(text, items);
        expect(runs.map((r) => r.text).join('')).toBe(text);
        let p = 0;
        for (const [n, r] of runs.entries()) {
          expect(r.text.length).toBeGreaterThan(0);
          const keys = new Set(r.marks.map((m) => m.key));
          expect(keys.size).toBe(r.marks.length);
          for (let q = p; q < p + r.text.length; q++) expect(keys).toEqual(coveringKeys(items, text, q));
          const prev = runs[n - 1];
          if (prev) expect(prev.marks.map((m) => m.key)).not.toEqual(r.marks.map((m) => m.key));
          p += r.text.length;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('colours a nested span by the innermost item: the venue inside the attack phrase', () => {
    const text = "The attack at Moscow's Crocus City Hall killed 130.";
    const venue = text.indexOf('Crocus City Hall');
    const runs = runsOf(text, [
      {
        key: 'incident:x',
        kind: 'incident',
        name: 'attack',
        evidence: [{ start: 4, end: venue + 16, rule: 'i', confidence: 1 }],
      },
      {
        key: 'location:c',
        kind: 'location',
        name: 'Crocus City Hall',
        evidence: [{ start: venue, end: venue + 16, rule: 'g', confidence: 1 }],
      },
    ]);
    const crocus = runs.find((r) => r.text === 'Crocus City Hall');
    expect(crocus?.marks.map((m) => m.key)).toEqual(['location:c', 'incident:x']);
    expect(runs.find((r) => r.text === "attack at Moscow's ")?.marks.map((m) => m.key)).toEqual([
      'incident:x',
    ]);
  });
});
