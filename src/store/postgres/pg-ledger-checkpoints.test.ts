import { describe, expect, it } from 'vitest';
import { openCheckpoint } from '../../ledger/ledger-checkpoint.js';
import { encodeEntry, type LedgerEntry } from '../../ledger/ledger-entry.js';
import { MemoryTree } from '../../ledger/ledger-memory-tree.js';
import { createSigner, formatVerifierKey, parseVerifierKey } from '../../ledger/ledger-note.js';
import { storedHashIndex } from '../../ledger/ledger-tree-math.js';
import { pgLedgerService } from '../ledger-service.js';
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

const made = createSigner('hub.test', Buffer.alloc(32, 5));
if (!made.ok) throw new Error(made.message);
const signer = made.signer;
const parsed = parseVerifierKey(formatVerifierKey('hub.test', signer.publicKey));
if (!parsed.ok) throw new Error(parsed.message);
const verifier = parsed.verifier;
const T = new Date('2026-11-28T10:00:00Z');

describe.skipIf(!TEST_PG_URL)('postgres ledger checkpoints', () => {
  it('signs the committed tree once, grows consistently, and refuses to sign a tree that changed under a checkpoint', async () => {
    const db = await openTestSchema('k');
    try {
      const ledger = new PgLedger(db.pool);
      const cps = new PgLedgerCheckpoints(db.pool, ledger);
      expect(await cps.checkpoint(T, signer)).toMatchObject({ ok: false, code: 'empty-tree' });
      await ledger.appendEntriesAlone([ingest(0), ingest(1), ingest(2)]);
      // Concurrent signers: one checkpoint, the others find it.
      const signed = await Promise.all([1, 2, 3].map(() => cps.checkpoint(T, signer)));
      expect(signed.filter((s) => s.ok && s.created).length).toBe(1);
      await ledger.appendEntriesAlone([ingest(3), ingest(4)]);
      expect(await cps.checkpoint(T, signer)).toMatchObject({
        ok: true,
        created: true,
        checkpoint: { size: 5 },
      });
      const list = await cps.list();
      expect(list.map((c) => c.size)).toEqual([3, 5]);
      const tree = MemoryTree.fromEntries((await ledger.readEntries(0, 5)).map((e) => e.bytes));
      for (const cp of list) {
        const opened = openCheckpoint(cp.note, verifier);
        if (!opened.ok) throw new Error(opened.message);
        expect(opened.checkpoint.size).toBe(cp.size);
        expect(Buffer.from(opened.checkpoint.root).equals(Buffer.from(tree.root(cp.size)))).toBe(true);
      }

      // Rewrite history under checkpoint 5 (the hash of leaves 0-3, stored hash 6), then append:
      // no new signature.
      await db.pool.query(
        "UPDATE ledger_hash_pages SET hashes = overlay(hashes placing '\\x00000000'::bytea from $1) WHERE page = 0",
        [storedHashIndex({ level: 2, index: 0 }) * 32 + 1],
      );
      await ledger.appendEntriesAlone([ingest(5)]);
      expect(await cps.checkpoint(T, signer)).toMatchObject({ ok: false, code: 'inconsistent' });
      expect((await cps.list()).map((c) => c.size)).toEqual([3, 5]);
    } finally {
      await db.drop();
    }
  });

  it('audits as the SQLite ledger does: a whole ledger verifies, a changed entry is named', async () => {
    const db = await openTestSchema('k');
    try {
      const ledger = new PgLedger(db.pool);
      const cps = new PgLedgerCheckpoints(db.pool, ledger);
      // Spans several hash pages and several checkpoints.
      for (let b = 0; b < 4; b++) {
        await ledger.appendEntriesAlone(Array.from({ length: 50 }, (_, i) => ingest(b * 50 + i)));
        await cps.checkpoint(T, signer);
      }
      const service = pgLedgerService(ledger, cps);
      expect(await service.audit(verifier)).toEqual({ ok: true, entries: 200, checkpoints: 4 });
      const forged = encodeEntry(ingest(999));
      if (!forged.ok) throw new Error(forged.message);
      await db.pool.query('UPDATE ledger_entries SET bytes = $1 WHERE idx = 137', [forged.bytes]);
      expect(await service.audit(verifier)).toMatchObject({ ok: false, code: 'bad-hash', index: 137 });
    } finally {
      await db.drop();
    }
  });
});
