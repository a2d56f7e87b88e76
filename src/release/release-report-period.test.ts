import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reportPeriod } from './release-report-period.js';

const DAY_MS = 86_400_000;
const day = fc
  .integer({ min: Date.UTC(2000, 0, 1) / DAY_MS, max: Date.UTC(2099, 0, 1) / DAY_MS })
  .map((n) => new Date(n * DAY_MS));

describe('report period', () => {
  it('a date as `to` includes that whole day; the same date twice is one day', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 400 }), (from, extra) => {
        const to = new Date(from.getTime() + extra * DAY_MS);
        const p = reportPeriod(from, to, to.toISOString().slice(0, 10));
        expect(p).toEqual({
          ok: true,
          from: from.toISOString(),
          to: new Date(to.getTime() + DAY_MS).toISOString(),
          ms: (extra + 1) * DAY_MS,
        });
      }),
    );
  });

  it('a timestamp as `to` is the exclusive end; an empty or backward period is refused', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: -DAY_MS, max: DAY_MS }), (from, delta) => {
        const to = new Date(from.getTime() + delta);
        const p = reportPeriod(from, to, to.toISOString());
        if (delta <= 0) expect(p).toEqual({ ok: false, code: 'empty-period' });
        else expect(p).toEqual({ ok: true, from: from.toISOString(), to: to.toISOString(), ms: delta });
      }),
    );
  });
});
