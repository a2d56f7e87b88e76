import { expect, it } from 'vitest';
import { describeOnEngines } from '../sql/sql-test-engines.js';
import { withTestSql } from './hub-test-rows.js';
import { RelayBundleStore } from './relay-bundle-store.js';

const T0 = new Date('2026-12-06T10:00:00Z');
const T1 = new Date('2026-12-06T10:05:00Z');

describeOnEngines('RelayBundleStore', (open) => {
  it('keeps each ledgered bundle pending until it is sealed or abandoned (with why), per partner, and never abandons a sealed one', async () => {
    await withTestSql(open, async (sql) => {
      const store = new RelayBundleStore(sql);
      await sql.transaction(async (tx) =>
        new RelayBundleStore(tx).addPending(
          'p-ally',
          [
            { ledgerIndex: 7, sequence: 1, digest: 'a'.repeat(64), objects: 100 },
            { ledgerIndex: 8, sequence: 2, digest: 'b'.repeat(64), objects: 40 },
          ],
          T0,
        ),
      );
      await store.addPending(
        'p-kabul',
        [{ ledgerIndex: 9, sequence: 1, digest: 'c'.repeat(64), objects: 3 }],
        T0,
      );
      expect((await store.pending('p-ally')).map((r) => [r.ledgerIndex, r.sequence, r.objects])).toEqual([
        [7, 1, 100],
        [8, 2, 40],
      ]);
      await store.markSealed('p-ally', 7, T1);
      await store.markAbandoned('p-ally', 8, 'page changed', T1);
      await store.markAbandoned('p-ally', 7, 'too late', T1);
      expect(await store.pending('p-ally')).toEqual([]);
      expect((await store.list('p-ally')).map((r) => [r.state, r.settledAt, r.reason])).toEqual([
        ['sealed', T1.toISOString(), null],
        ['abandoned', T1.toISOString(), 'page changed'],
      ]);
      expect((await store.pending('p-kabul')).map((r) => r.ledgerIndex)).toEqual([9]);
    });
  });
});
