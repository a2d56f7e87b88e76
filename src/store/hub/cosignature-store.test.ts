import { expect, it } from 'vitest';
import { describeOnEngines } from '../sql/sql-test-engines.js';
import { CosignatureStore } from './cosignature-store.js';
import { withTestSql } from './hub-test-rows.js';

const T0 = new Date('2026-11-28T10:00:00Z');
const A = 'w.example/a+00000001+BA';
const B = 'w.example/b+00000002+BA';
const C = 'w.example/c+00000003+BA';

const line = (w: string, size: number) => `\u2014 ${w.split('+')[0]} sig-${size}`;
const record = (key: string, size: number) => ({
  size,
  witnessKey: key,
  witnessName: key.split('+')[0] as string,
  cosignedUnix: 1_800_000_000 + size,
  line: line(key, size),
});

describeOnEngines('CosignatureStore', (open) => {
  it('keeps one cosignature per checkpoint and witness, and appends the configured ones to the note', async () => {
    await withTestSql(open, async (sql) => {
      for (const size of [3, 5, 8]) {
        await sql.run('INSERT INTO ledger_checkpoints (size, root, note, signed_at) VALUES (?, ?, ?, ?)', [
          size,
          Buffer.alloc(32, size),
          `hub\n${size}\nroot\n\n\u2014 hub sig\n`,
          `2026-11-28T10:00:0${size}Z`,
        ]);
      }
      const store = new CosignatureStore(sql, [A, B]);
      expect(await store.save(record(B, 5), T0)).toBe(true);
      expect(await store.save(record(A, 5), T0)).toBe(true);
      expect(await store.save({ ...record(A, 5), line: 'another' }, T0)).toBe(false);
      expect(await store.save(record(C, 5), T0)).toBe(true);
      const cosigned = await store.cosign({
        size: 5,
        note: 'hub\n5\nroot\n\n\u2014 hub sig\n',
        signedAt: 't',
      });
      // Only configured witnesses, in name order, each line once, after the hub's signature.
      expect(cosigned.note).toBe(`hub\n5\nroot\n\n\u2014 hub sig\n${line(A, 5)}\n${line(B, 5)}\n`);
      expect(cosigned.witnesses).toEqual(['w.example/a', 'w.example/b']);
      expect(await store.heldSize(A)).toBe(5);
      expect(await store.heldSize('nobody')).toBeUndefined();
      // A cosignature needs its checkpoint.
      await expect(store.save(record(A, 4), T0)).rejects.toThrow();
    });
  });

  it('finds the newest checkpoint covering an entry that every configured witness cosigned', async () => {
    await withTestSql(open, async (sql) => {
      for (const size of [2, 4, 6, 8]) {
        await sql.run('INSERT INTO ledger_checkpoints (size, root, note, signed_at) VALUES (?, ?, ?, ?)', [
          size,
          Buffer.alloc(32, size),
          `note ${size}\n`,
          `t${size}`,
        ]);
      }
      const store = new CosignatureStore(sql, [A, B]);
      for (const [key, size] of [
        [A, 2],
        [B, 2],
        [A, 4],
        [B, 4],
        [A, 6],
        [C, 6],
        [B, 8],
      ] as const) {
        await store.save(record(key, size), T0);
      }
      expect(await store.newestFullyCosigned(0)).toEqual({ size: 4, note: 'note 4\n', signedAt: 't4' });
      expect(await store.newestFullyCosigned(3)).toEqual({ size: 4, note: 'note 4\n', signedAt: 't4' });
      expect(await store.newestFullyCosigned(4)).toBeUndefined();
      expect(await new CosignatureStore(sql, [A]).newestFullyCosigned(0)).toMatchObject({ size: 6 });
      expect(await new CosignatureStore(sql, []).newestFullyCosigned(0)).toBeUndefined();
    });
  });
});
