import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketTimeline, TIMELINE_SERIES, type TimelinePoint } from './api-threat.js';

const DAY = 86_400_000;
const point = fc.record({
  series: fc.constantFrom(...TIMELINE_SERIES),
  at: fc
    .integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) })
    .map((ms) => new Date(ms).toISOString()),
  partner: fc.constantFrom('ally', 'kabul-authorities', 'doha'),
}) as fc.Arbitrary<TimelinePoint>;

describe('bucketTimeline', () => {
  it('counts every point once, in contiguous ordered buckets', () => {
    fc.assert(
      fc.property(fc.array(point, { maxLength: 60 }), (points) => {
        const { unit, buckets } = bucketTimeline(points);
        const total = buckets.reduce(
          (n, b) => n + b.incident + b.report + b.sighting + b.actor + b.release,
          0,
        );
        expect(total).toBe(points.length);
        for (const s of TIMELINE_SERIES) {
          expect(buckets.reduce((n, b) => n + b[s], 0)).toBe(points.filter((p) => p.series === s).length);
        }
        for (let i = 1; i < buckets.length; i++) {
          const prev = new Date(buckets[i - 1]?.start as string);
          const next =
            unit === 'day'
              ? new Date(prev.getTime() + DAY)
              : new Date(Date.UTC(prev.getUTCFullYear(), prev.getUTCMonth() + 1, 1));
          expect(buckets[i]?.start).toBe(next.toISOString().slice(0, 10));
        }
        if (unit === 'day') expect(buckets.length).toBeLessThanOrEqual(93);
        // Each partner's lane counts exactly its releases, bucket by bucket.
        const { lanes } = bucketTimeline(points);
        for (const lane of lanes) {
          expect(lane.counts).toHaveLength(buckets.length);
          const mine = points.filter((p) => p.series === 'release' && p.partner === lane.partner);
          expect(lane.counts.reduce((a, b) => a + b, 0)).toBe(mine.length);
        }
        expect(lanes.reduce((n, l) => n + l.counts.reduce((a, b) => a + b, 0), 0)).toBe(
          points.filter((p) => p.series === 'release').length,
        );
        for (let i = 0; i < buckets.length; i++)
          expect(lanes.reduce((n, l) => n + (l.counts[i] ?? 0), 0)).toBe(buckets[i]?.release);
      }),
      { numRuns: 200 },
    );
  });

  it('ignores points without a date and returns nothing for none', () => {
    expect(bucketTimeline([{ series: 'incident', at: 'unknown' }])).toEqual({
      unit: 'day',
      buckets: [],
      lanes: [],
    });
  });

  it('uses months for a span of years', () => {
    const r = bucketTimeline([
      { series: 'incident', at: '2024-01-03T00:00:00Z' },
      { series: 'incident', at: '2024-03-22T18:00:00Z', name: 'Crocus City Hall attack' },
      { series: 'release', at: '2026-11-28T10:00:00Z', partner: 'ally' },
    ]);
    expect(r.unit).toBe('month');
    expect(r.buckets[0]).toEqual({
      start: '2024-01-01',
      incident: 1,
      report: 0,
      sighting: 0,
      actor: 0,
      release: 0,
    });
    expect(r.buckets[2]).toMatchObject({
      start: '2024-03-01',
      incident: 1,
      incidents: ['Crocus City Hall attack'],
    });
    expect(r.lanes).toEqual([{ partner: 'ally', counts: [...new Array(34).fill(0), 1] }]);
    expect(r.buckets).toHaveLength(35);
  });
});
