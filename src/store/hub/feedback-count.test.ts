import { expect, it } from 'vitest';
import { makeSdo } from '../../../test/policy-object-rows.js';
import type { JsonObject } from '../../stix/types.js';
import { SqlSubmissions } from '../sql/sql-submissions.js';
import { describeOnEngines } from '../sql/sql-test-engines.js';
import { listFeedbackReceipts } from './feedback-count.js';
import { insertObjectRows, withTestSql } from './hub-test-rows.js';

const P = 'identity--0b7e0b5c-55a5-4d0e-9a43-7d6c2ea0c001';
const OTHER = 'identity--0b7e0b5c-55a5-4d0e-9a43-7d6c2ea0c002';

describeOnEngines('listFeedbackReceipts', (open) => {
  it('counts what the partner submitted, latest versions only, not what an analyst rejected', async () => {
    await withTestSql(open, async (sql) => {
      const subs = new SqlSubmissions(sql);
      const put = (partnerId: string, o: JsonObject, ms: number) =>
        subs.record({
          partnerId,
          statusId: 's',
          sent: o,
          sentJson: JSON.stringify(o),
          mappedJson: JSON.stringify(o),
          now: new Date(ms),
        });
      const t0 = 1_790_000_000_000;
      const note = makeSdo('note', { created_by_ref: P });
      await put(P, makeSdo('sighting', { created_by_ref: P }), t0);
      await put(P, note, t0 + 10_000);
      await put(P, { ...note, modified: '2026-07-01T00:00:00.000Z' }, t0 + 20_000);
      await put(P, makeSdo('indicator', { created_by_ref: P }), t0 + 30_000);
      const junk = makeSdo('opinion', { created_by_ref: P });
      await put(P, junk, t0 + 40_000);
      await put(OTHER, makeSdo('sighting', { created_by_ref: OTHER }), t0 + 50_000);
      expect(await listFeedbackReceipts(sql, P, 0)).toEqual([t0, t0 + 20_000, t0 + 40_000]);
      await sql.run("UPDATE taxii_submissions SET review_state = 'rejected' WHERE object_id = ?", [junk.id]);
      expect(await listFeedbackReceipts(sql, P, t0 * 1000)).toEqual([t0 + 20_000]);
    });
  });

  it("counts intel the hub's people attributed to the partner, by receipt time, latest versions only", async () => {
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
