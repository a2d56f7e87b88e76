import { expect, it } from 'vitest';
import type { DecisionMark } from '../../policy/decision-redecide.js';
import { describeOnEngines } from '../sql/sql-test-engines.js';
import { insertPartnerRow, withTestSql } from './hub-test-rows.js';
import { DecisionMarks } from './partner-decision-marks.js';

describeOnEngines('DecisionMarks', (open) => {
  it('saves only marks that changed and loads them back', async () => {
    await withTestSql(open, async (sql) => {
      await insertPartnerRow(sql, 'p');
      const store = new DecisionMarks(sql);
      const a: DecisionMark = { input_key: 'k1', outcome: 'release', reasons_key: '[]' };
      const b: DecisionMark = { input_key: 'k2', outcome: 'withhold', reasons_key: '[["tlp-red"]]' };
      const first = new Map([
        ['x', a],
        ['y', b],
      ]);
      expect(await store.save('p', first, new Map(), '2026-11-28T00:00:00Z')).toBe(2);
      const loaded = await store.load('p');
      expect(loaded).toEqual(first);
      const c = { ...b, input_key: 'k3' };
      const next = new Map(loaded);
      next.set('y', c);
      expect(await store.save('p', next, loaded, '2026-11-29T00:00:00Z')).toBe(1);
      expect((await store.load('p')).get('y')).toEqual(c);
    });
  });
});
