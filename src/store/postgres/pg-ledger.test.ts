import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../ledger/ledger-entry.js';
import { MemoryTree } from '../../ledger/ledger-memory-tree.js';
import { createSigner, formatVerifierKey, parseVerifierKey } from '../../ledger/ledger-note.js';
import { pgLedgerService } from '../ledger-service.js';
import { openSqlite } from '../sqlite/database.js';
import { SqliteLedger } from '../sqlite/ledger-store.js';
import { PgLedger } from './pg-ledger.js';
import { PgLedgerCheckpoints } from './pg-ledger-checkpoints.js';
import { openTestSchema, PG_SKIP_REASON, TEST_PG_URL } from './pg-test-schema.js';

if (!TEST_PG_URL) console.warn(PG_SKIP_REASON);

const ingest = (i: number): LedgerEntry => ({
  kind: 'ingest-batch',
  time: '2026-01-03T12:00:00Z',
  actor: 'importer',
  source: `bundle-${i}.json`,
  count: i,
  digest: `sha256:${i.toString(16).padStart(64, '0')}`,
});

/** The same salts for two ledgers, so that both engines store identical bytes. */
const seeded = () => {
  let n = 0;
  return (size: number) => Buffer.from(Array.from({ length: size }, () => (n++ * 31 + 7) & 255));
};

describe.skipIf(!TEST_PG_URL)('postgres ledger', () => {
  it('stores the same entries and hashes as the SQLite ledger, and the root of a tree rebuilt from the entries', async () => {
    const db = await openTestSchema('l');
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.integer({ min: 0, max: 70 }), { minLength: 1, maxLength: 6 }),
          async (sizes) => {
            await db.pool.query('DELETE FROM ledger_entries; DELETE FROM ledger_hash_pages');
            const pgLedger = new PgLedger(db.pool, seeded());
            const lite = openSqlite(':memory:');
            try {
              const liteLedger = new SqliteLedger(lite, seeded());
              let n = 0;
              for (const size of sizes) {
                const batch = Array.from({ length: size }, () => ingest(n++));
                const a = await pgLedger.appendEntriesAlone(batch);
                expect(a).toEqual(liteLedger.appendEntries(batch));
                const pgRoot = await pgLedger.root(n);
                const liteRoot = liteLedger.root(n);
                expect(
                  pgRoot.ok && liteRoot.ok && Buffer.from(pgRoot.root).equals(Buffer.from(liteRoot.root)),
                ).toBe(true);
              }
              const entries = await pgLedger.readEntries(0, n);
              expect(entries.map((e) => e.index)).toEqual(Array.from({ length: n }, (_, i) => i));
              // Same leaves and openings, byte for byte, on both engines.
              const liteRows = liteLedger.readEntries(0, n);
              expect(entries.map((e) => [e.bytes, e.opening])).toEqual(
                liteRows.map((e) => [e.bytes, e.opening]),
              );
              const tree = MemoryTree.fromEntries(entries.map((e) => e.bytes));
              const root = await pgLedger.root(n);
              expect(root.ok && Buffer.from(root.root).equals(Buffer.from(tree.root()))).toBe(true);
              const litePages = lite
                .prepare('SELECT hashes FROM ledger_hash_pages ORDER BY page')
                .pluck()
                .all() as Buffer[];
              expect((await pgLedger.readAllHashes()).equals(Buffer.concat(litePages))).toBe(true);
            } finally {
              lite.close();
            }
          },
        ),
        { numRuns: 40 },
      );
    } finally {
      await db.drop();
    }
  });

  it('rejects a batch with an invalid entry and writes none of it', async () => {
    const db = await openTestSchema('l');
    try {
      const ledger = new PgLedger(db.pool);
      await ledger.appendEntriesAlone([ingest(0)]);
      const bad = { ...ingest(2), kind: 'no-such-kind' } as unknown as LedgerEntry;
      const res = await ledger.appendEntriesAlone([ingest(1), bad]);
      expect(res.ok).toBe(false);
      expect(res.ok ? '' : res.message).toContain('entries[1]');
      expect(await ledger.size()).toBe(1);
      expect(await ledger.root(2)).toMatchObject({ ok: false, code: 'bad-size' });
    } finally {
      await db.drop();
    }
  });

  it('keeps one sequence when appends from several connections race', async () => {
    const db = await openTestSchema('l');
    try {
      const ledger = new PgLedger(db.pool);
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, w) => ledger.appendEntriesAlone([ingest(w * 2), ingest(w * 2 + 1)])),
      );
      const firsts = results.map((r) => (r.ok ? r.first : -1)).sort((a, b) => a - b);
      expect(firsts).toEqual([0, 2, 4, 6, 8, 10, 12, 14]);
      const entries = await ledger.readEntries(0, 16);
      const root = await ledger.root(16);
      const tree = MemoryTree.fromEntries(entries.map((e) => e.bytes));
      expect(root.ok && Buffer.from(root.root).equals(Buffer.from(tree.root()))).toBe(true);
    } finally {
      await db.drop();
    }
  });

  it('opens every entry on audit, names a tampered private part, and finds the step prefix as SQLite does', async () => {
    const db = await openTestSchema('l');
    try {
      const ledger = new PgLedger(db.pool);
      const times = [
        '2026-01-03T12:00:00Z',
        '2026-01-03T12:00:59.999Z',
        '2026-01-03T12:01:00.000Z',
        '2026-01-03T12:02:30Z',
      ];
      await ledger.appendEntriesAlone(times.map((time, i) => ({ ...ingest(i), time })));
      expect(await ledger.sizeBefore('2026-01-03T12:01:00.000Z', 0)).toBe(2);
      expect(await ledger.sizeBefore('2026-01-03T12:00:00.000Z', 0)).toBe(0);
      expect(await ledger.sizeBefore('2026-01-03T12:03:00.000Z', 0)).toBe(4);
      const checkpoints = new PgLedgerCheckpoints(db.pool, ledger);
      const service = pgLedgerService(ledger, checkpoints);
      const made = createSigner('pg.test', Buffer.alloc(32, 4));
      if (!made.ok) throw new Error(made.message);
      const step = { intervalMs: 60_000 };
      expect(
        await service.checkpointIfDue(new Date('2026-01-03T12:01:10Z'), made.signer, step),
      ).toMatchObject({
        created: true,
        checkpoint: { size: 2 },
      });
      expect(
        await service.checkpointIfDue(new Date('2026-01-03T12:01:50Z'), made.signer, step),
      ).toMatchObject({
        created: false,
      });
      const verifier = parseVerifierKey(formatVerifierKey(made.signer.name, made.signer.publicKey));
      if (!verifier.ok) throw new Error(verifier.message);
      expect(await service.audit(verifier.verifier)).toMatchObject({ ok: true, entries: 4 });
      await db.pool.query(
        "UPDATE ledger_entries SET private = convert_to(replace(convert_from(private, 'UTF8'), 'importer', 'importeR'), 'UTF8') WHERE idx = 3",
      );
      expect(await service.audit(verifier.verifier)).toMatchObject({
        ok: false,
        code: 'bad-opening',
        index: 3,
        message: expect.stringContaining('entry 3: the private part and salt do not match'),
      });
    } finally {
      await db.drop();
    }
  });
});
