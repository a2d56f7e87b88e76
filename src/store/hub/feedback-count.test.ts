import { expect, it } from 'vitest';
import { makeSdo } from '../../../test/policy-object-rows.js';
import { describeOnEngines } from '../sql/sql-test-engines.js';
import { listFeedbackReceipts } from './feedback-count.js';
import { insertObjectRows, withTestSql } from './hub-test-rows.js';

const P = 'identity--0b7e0b5c-55a5-4d0e-9a43-7d6c2ea0c001';
const OTHER = 'identity--0b7e0b5c-55a5-4d0e-9a43-7d6c2ea0c002';

describeOnEngines('listFeedbackReceipts', (open) => {
  it("counts the partner's sightings, notes and opinions by receipt time, latest versions only", async () => {
    await withTestSql(open, async (sql) => {
      const mine = { created_by_ref: P };
      const t0 = 1_790_000_000_000_000;
      await insertObjectRows(sql, [makeSdo('sighting', mine)], { addedUs: t0 });
      const note = makeSdo('note', mine);
      await insertObjectRows(sql, [note], { addedUs: t0 + 10_000_000 });
      await insertObjectRows(sql, [{ ...note, modified: '2026-07-01T00:00:00.000Z' }], {
        addedUs: t0 + 20_000_000,
      });
      await insertObjectRows(
        sql,
        [makeSdo('indicator', mine), makeSdo('sighting', { created_by_ref: OTHER })],
        {
          addedUs: t0 + 30_000_000,
        },
      );
      expect(await listFeedbackReceipts(sql, P, 0)).toEqual([t0 / 1000, (t0 + 20_000_000) / 1000]);
      expect(await listFeedbackReceipts(sql, P, t0)).toEqual([(t0 + 20_000_000) / 1000]);
    });
  });
});
