import { expect, it } from 'vitest';
import { describeOnEngines } from '../sql/sql-test-engines.js';
import { insertPartnerRow, withTestSql } from './hub-test-rows.js';
import { listOutcomeHistory, recordOutcomeCounts } from './outcome-history.js';

describeOnEngines('outcome history', (open) => {
  it('records counts only when one changed, waiting as queued, one point per time', async () => {
    await withTestSql(open, async (db) => {
      await insertPartnerRow(db, 'p1');
      const outcome = (id: string, o: string) =>
        db.run(
          `INSERT INTO release_outcomes (partner_id, object_id, object_version, outcome, reasons, agreement_version, fingerprint, decided_at)
           VALUES ('p1', ?, 'v', ?, '[]', 1, 'f', 't')
           ON CONFLICT (partner_id, object_id) DO UPDATE SET outcome = excluded.outcome`,
          [id, o],
        );
      await outcome('a', 'released');
      await outcome('b', 'withheld');
      await outcome('c', 'waiting');
      await recordOutcomeCounts(db, 'p1', '2026-01-01T00:00:00.000Z');
      // Nothing changed: no new point.
      await recordOutcomeCounts(db, 'p1', '2026-01-02T00:00:00.000Z');
      await outcome('b', 'queued');
      await recordOutcomeCounts(db, 'p1', '2026-01-03T00:00:00.000Z');
      // A second pass at the same time replaces its point.
      await outcome('d', 'denied');
      await recordOutcomeCounts(db, 'p1', '2026-01-03T00:00:00.000Z');
      expect(await listOutcomeHistory(db, 'p1')).toEqual([
        { at: '2026-01-01T00:00:00.000Z', released: 1, queued: 1, withheld: 1, denied: 0 },
        { at: '2026-01-03T00:00:00.000Z', released: 1, queued: 2, withheld: 0, denied: 1 },
      ]);
      expect(await listOutcomeHistory(db, 'nobody')).toEqual([]);
    });
  });
});
