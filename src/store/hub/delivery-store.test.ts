import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import { decodeLeaf, openLeaf } from '../../ledger/ledger-commitment.js';
import { describeOnEngines } from '../sql/sql-test-engines.js';
import { DeliveryStore, deliveryItemsText } from './delivery-store.js';

const P1 = 'identity--6d4f8a3e-2b1c-4e5f-8a9b-0c1d2e3f4a5b';
const P2 = 'identity--7e5a9b4f-3c2d-4f6a-9b0c-1d2e3f4a5b6c';

describeOnEngines('delivery store', (open) => {
  it('writes one delivery entry per period with the list beside it; the leaf names neither partner nor ids', async () => {
    const { sql, close } = await open();
    try {
      const store = new DeliveryStore(sql);
      const items = [
        ['indicator--0a0b2d5f-7c55-5f5e-8b3d-9b6c9a7c3f10', '2026-02-01T00:00:00.000Z'],
        ['report--1c2d3e4f-5a6b-5c7d-8e9f-0a1b2c3d4e5f', '2026-02-02T00:00:00.000Z'],
      ] as const;
      await store.write(
        [
          {
            partnerId: P1,
            periodStart: new Date('2026-03-01T10:00:00Z'),
            periodEnd: new Date('2026-03-01T10:01:00Z'),
            items,
          },
          {
            partnerId: P2,
            periodStart: new Date('2026-03-01T10:00:00Z'),
            periodEnd: new Date('2026-03-01T10:01:00Z'),
            items: [items[0]],
          },
        ],
        new Date('2026-03-01T10:01:02Z'),
      );
      const rows = await store.list(P1, '2026-03-01T00:00:00.000Z', '2026-03-02T00:00:00.000Z');
      expect(rows).toEqual([
        {
          index: 0,
          period_start: '2026-03-01T10:00:00.000Z',
          period_end: '2026-03-01T10:01:00.000Z',
          items: items.map((p) => [...p]),
        },
      ]);
      expect(await store.list(P2, '2026-03-01T10:00:01.000Z', '2026-03-02T00:00:00.000Z')).toEqual([]);
      const entries = await sql.all<{ idx: number; bytes: Buffer; salt: Buffer; private: Buffer }>(
        'SELECT idx, bytes, salt, private FROM ledger_entries ORDER BY idx',
      );
      expect(entries).toHaveLength(2);
      const first = entries[0] as (typeof entries)[number];
      const leafText = Buffer.from(first.bytes).toString('utf8');
      for (const hidden of ['identity--', '6d4f8a3e', 'indicator--', 'report--'])
        expect(leafText).not.toContain(hidden);
      const leaf = decodeLeaf(Buffer.from(first.bytes));
      if (!leaf.ok || leaf.leaf.version !== 2) throw new Error('not a version 2 leaf');
      const opened = openLeaf(leaf.leaf.entry, {
        salt: Buffer.from(first.salt),
        private: Buffer.from(first.private),
      });
      expect(opened).toMatchObject({
        ok: true,
        entry: {
          kind: 'delivery',
          partner: P1,
          count: 2,
          digest: createHash('sha256').update(deliveryItemsText(items)).digest('hex'),
          period_start: '2026-03-01T10:00:00.000Z',
        },
      });
      expect(await store.write([], new Date())).toBeUndefined();
      expect(await sql.get<{ n: number }>('SELECT count(*) AS n FROM ledger_entries')).toMatchObject({
        n: 2,
      });
    } finally {
      await close();
    }
  });
});
