import { describe, expect, it } from 'vitest';
import { LABELLED_SETS, loadLabelled, SCORED_KINDS, scoreSet } from '../bench/osint-score.js';
import { loadGazetteer } from '../src/app/osint-data-load.js';

// The targets, checked on the development set (the held-out figures are in the bench).
const TARGETS = {
  groups: { precision: 0.9, recall: 0.8 },
  locations: { precision: 0.9, recall: 0.8 },
  indicators: { precision: 0.9, recall: 0.8 },
  incidents: { precision: 0.7, recall: 0.7 },
} as const;

describe('labelled articles', () => {
  it('meets the targets per entity type on the 30 development articles', () => {
    const articles = loadLabelled(process.cwd(), 'dev');
    expect(articles.length).toBe(30);
    const { totals } = scoreSet(articles, loadGazetteer());
    for (const kind of SCORED_KINDS) {
      const t = totals[kind];
      process.stdout.write(
        `${kind}: precision ${t.precision.toFixed(3)} recall ${t.recall.toFixed(3)} (tp ${t.tp}, fp ${t.fp}, fn ${t.fn})\n`,
      );
    }
    for (const [kind, target] of Object.entries(TARGETS)) {
      const t = totals[kind as keyof typeof TARGETS];
      expect(t.precision, `${kind} precision`).toBeGreaterThanOrEqual(target.precision);
      expect(t.recall, `${kind} recall`).toBeGreaterThanOrEqual(target.recall);
    }
  });

  // A new rule that finds more must not buy it with false names: precision holds on every set,
  // the held-out ones included (their recall is reported by the bench, not asserted).
  it.each(LABELLED_SETS.filter((s) => s !== 'dev'))(
    '%s: precision >= 0.9 for groups, locations, indicators',
    (set) => {
      const { totals } = scoreSet(loadLabelled(process.cwd(), set), loadGazetteer());
      for (const kind of ['groups', 'locations', 'indicators'] as const) {
        expect(totals[kind].precision, `${set} ${kind}`).toBeGreaterThanOrEqual(0.9);
      }
    },
  );
});
