import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../ledger/ledger-entry.js';
import { MemoryTree } from '../../ledger/ledger-memory-tree.js';
import { createSigner, formatVerifierKey, parseVerifierKey } from '../../ledger/ledger-note.js';
import { verifyConsistency, verifyInclusion } from '../../ledger/ledger-proof.js';
import { verifyConsistencyDocument, verifyReceipt } from '../../ledger/ledger-receipt.js';
import { sqliteLedgerService } from '../ledger-service.js';
import { openSqlite } from './database.js';
import { SqliteLedgerCheckpoints } from './ledger-checkpoints.js';
import { SqliteLedger } from './ledger-store.js';

const ingest = (i: number): LedgerEntry => ({
  kind: 'ingest-batch',
  time: '2026-01-03T12:00:00Z',
  actor: 'importer',
  source: `bundle-${i}.json`,
  count: i,
  digest: `sha256:${i.toString(16).padStart(64, '0')}`,
});
const release = (id: string): LedgerEntry => ({
  kind: 'release',
  time: '2026-01-03T12:00:00Z',
  actor: 'officer-1',
  release_id: id,
  partner: 'partner-a',
  derived_id: 'indicator--d',
  original_id: 'indicator--o',
  original_version: '2026-01-01T00:00:00Z',
  agreement_version: '1',
  reasons: ['allowed'],
  approvals: [],
  tearline_digest: 'sha256:00',
});

const signerOf = (name = 'hub.test', seed = 5) => {
  const made = createSigner(name, Buffer.alloc(32, seed));
  if (!made.ok) throw new Error(made.message);
  return made.signer;
};

function freshLedger() {
  const db = openSqlite(':memory:');
  const ledger = new SqliteLedger(db);
  return { db, ledger, checkpoints: new SqliteLedgerCheckpoints(ledger) };
}

describe('SqliteLedger storage', () => {
  it('stores the same tree as the in-memory reference, for any batching, and its proofs verify', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 8 }),
        fc.nat(),
        fc.nat(),
        (batches, p1, p2) => {
          const { db, ledger } = freshLedger();
          const memory = new MemoryTree();
          const bytes: Buffer[] = [];
          let n = 0;
          for (const count of batches) {
            const entries = Array.from({ length: count }, (_, i) => ingest(n + i));
            const res = ledger.appendEntries(entries);
            if (!res.ok || res.first !== n) return false;
            n += count;
          }
          for (const row of ledger.readEntries(0, n)) bytes.push(row.bytes);
          for (const b of bytes) memory.appendLeafHash(MemoryTree.fromEntries([b]).root());
          const size = ledger.size();
          const m = 1 + (p1 % size);
          const index = p2 % m;
          const rootN = ledger.root(size);
          const rootM = ledger.root(m);
          const incl = ledger.proveInclusion(index, m);
          const cons = ledger.proveConsistency(m, size);
          db.close();
          return (
            size === n &&
            rootN.ok &&
            rootM.ok &&
            Buffer.from(rootN.root).equals(Buffer.from(memory.root())) &&
            incl.ok &&
            verifyInclusion(
              index,
              m,
              MemoryTree.fromEntries([bytes[index] as Buffer]).root(),
              incl.proof,
              rootM.root,
            ).ok &&
            cons.ok &&
            verifyConsistency(m, size, cons.proof, rootM.root, rootN.root).ok
          );
        },
      ),
      { numRuns: 40 },
    );
  });

  it("commits an entry with the caller's own write, or neither", () => {
    const { db, ledger } = freshLedger();
    const write = db.prepare('INSERT INTO hub_meta (key, value) VALUES (?, ?)');
    expect(() =>
      db.transaction(() => {
        write.run('release:r1', 'published');
        const res = ledger.appendEntries([release('r1')]);
        expect(res.ok).toBe(true);
        throw new Error('crash before commit');
      })(),
    ).toThrow('crash before commit');
    expect(ledger.size()).toBe(0);
    expect(db.prepare('SELECT COUNT(*) AS n FROM hub_meta').get()).toEqual({ n: 0 });
    db.transaction(() => {
      write.run('release:r1', 'published');
      ledger.appendEntries([release('r1')]);
    }).immediate();
    expect(ledger.size()).toBe(1);
    expect(ledger.findRelease('r1')).toBe(0);
  });

  it('rejects a whole batch when one entry is invalid, naming it', () => {
    const { ledger } = freshLedger();
    const bad = { ...ingest(1), count: -5 } as LedgerEntry;
    expect(ledger.appendEntries([ingest(0), bad])).toMatchObject({
      ok: false,
      code: 'bad-entry',
      message: expect.stringContaining('entries[1]'),
    });
    expect(ledger.size()).toBe(0);
  });
});

describe('SqliteLedger checkpoints, receipts and consistency', () => {
  it('signs only growing trees, keeps every checkpoint, and serves verifiable receipts', async () => {
    const { ledger, checkpoints } = freshLedger();
    const service = sqliteLedgerService(ledger, checkpoints);
    const signer = signerOf();
    const vkey = formatVerifierKey(signer.name, signer.publicKey);
    const t0 = new Date('2026-01-03T12:00:00Z');
    expect(checkpoints.checkpoint(t0, signer)).toMatchObject({ ok: false, code: 'empty-tree' });
    ledger.appendEntries([ingest(0), release('r1'), ingest(2)]);
    const first = checkpoints.checkpoint(t0, signer);
    expect(first).toMatchObject({ ok: true, created: true, checkpoint: { size: 3 } });
    expect(checkpoints.checkpoint(t0, signer)).toMatchObject({ ok: true, created: false });
    expect(await service.receipt(3)).toMatchObject({ ok: false, code: 'not-found' });
    ledger.appendEntries([ingest(3)]);
    expect(await service.receipt(3)).toMatchObject({ ok: false, code: 'not-checkpointed' });
    // In steps of a minute: what is due covers the entries dated before the current step began.
    const step = { intervalMs: 60_000 };
    expect(checkpoints.checkpointIfDue(new Date('2026-01-03T12:00:59Z'), signer, step)).toMatchObject({
      ok: true,
      created: false,
    });
    expect(checkpoints.checkpointIfDue(new Date('2026-01-03T12:01:00Z'), signer, step)).toMatchObject({
      created: true,
      checkpoint: { size: 4 },
    });
    ledger.appendEntries(Array.from({ length: 1000 }, (_, i) => ingest(10 + i)));
    expect(checkpoints.checkpointIfDue(new Date('2026-01-03T12:01:30Z'), signer, step)).toMatchObject({
      created: true,
      checkpoint: { size: 1004 },
    });
    expect(checkpoints.list().map((c) => c.size)).toEqual([3, 4, 1004]);

    const receipt = await service.receipt(ledger.findRelease('r1') as number);
    if (!receipt.ok) throw new Error(receipt.message);
    expect(Object.keys(JSON.parse(receipt.json))).toEqual(['index', 'entry', 'checkpoint', 'proof']);
    expect(verifyReceipt(receipt.json, vkey)).toMatchObject({
      ok: true,
      index: 1,
      entry: { kind: 'release', release_id: 'r1' },
    });
    const otherKey = formatVerifierKey('hub.test', signerOf('hub.test', 6).publicKey);
    expect(verifyReceipt(receipt.json, otherKey).ok).toBe(false);
    const doc = JSON.parse(receipt.json);
    expect(verifyReceipt(JSON.stringify({ ...doc, proof: doc.proof.slice(1) }), vkey)).toMatchObject({
      code: 'bad-proof-length',
    });
    expect(verifyReceipt(JSON.stringify({ ...doc, index: 2 }), vkey)).toMatchObject({ ok: false });

    expect(await service.receiptForPartner('r1', 'partner-a')).toMatchObject({ ok: true });
    // Another partner's release looks exactly like one that does not exist.
    expect(await service.receiptForPartner('r1', 'partner-b')).toEqual({
      ok: false,
      code: 'not-found',
      message: 'no release "r1" for this partner',
    });
    expect(await service.receiptForPartner('r9', 'partner-b')).toEqual({
      ok: false,
      code: 'not-found',
      message: 'no release "r9" for this partner',
    });

    const cons = await service.consistency(3, 1004);
    if (!cons.ok) throw new Error(cons.message);
    expect(verifyConsistencyDocument(cons.json, vkey)).toMatchObject({
      ok: true,
      old: { size: 3 },
      new: { size: 1004 },
    });
    expect(await service.consistency(3, 5)).toMatchObject({
      code: 'not-found',
      message: expect.stringContaining('3, 4, 1004'),
    });
    const verifier = parseVerifierKey(vkey);
    if (!verifier.ok) throw new Error(verifier.message);
    expect(await sqliteLedgerService(ledger, checkpoints).audit(verifier.verifier)).toEqual({
      ok: true,
      entries: 1004,
      checkpoints: 3,
    });
  });

  it('signs in fixed steps: each checkpoint covers exactly the entries dated before its step', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 400_000 }), { minLength: 1, maxLength: 60 }),
        fc.array(fc.integer({ min: 0, max: 500_000 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 120 }),
        (gaps, callOffsets, stepSeconds) => {
          const { db, ledger, checkpoints } = freshLedger();
          const signer = signerOf();
          const base = Date.parse('2026-01-03T12:00:00Z');
          // Entries in time order (as appends are), then the scheduler called at sorted times.
          const times: number[] = [];
          let t = base;
          for (const gap of gaps) {
            t += gap;
            times.push(t);
          }
          ledger.appendEntries(times.map((ms, i) => ({ ...ingest(i), time: new Date(ms).toISOString() })));
          const step = stepSeconds * 1000;
          for (const offset of [...callOffsets].sort((a, b) => a - b)) {
            const now = base + offset;
            const res = checkpoints.checkpointIfDue(new Date(now), signer, { intervalMs: step });
            if (!res.ok) throw new Error(res.message);
            const boundary = now - (now % step);
            const due = times.filter((ms) => ms < boundary).length;
            const latest = checkpoints.latest()?.size ?? 0;
            // Signed exactly the prefix dated before the boundary (nothing while that is empty).
            if (latest !== due) return false;
          }
          db.close();
          return true;
        },
      ),
      { numRuns: 150 },
    );
  });

  it('refuses to sign when the stored tree no longer matches the last checkpoint', () => {
    const { db, ledger, checkpoints } = freshLedger();
    const signer = signerOf();
    ledger.appendEntries([ingest(0), ingest(1)]);
    checkpoints.checkpoint(new Date('2026-01-03T12:00:00Z'), signer);
    ledger.appendEntries([ingest(2)]);
    // id 2 is the level-1 subtree over entries 0 and 1, which the signed root of size 2 is.
    const page = db.prepare('SELECT hashes FROM ledger_hash_pages WHERE page = 0').get() as {
      hashes: Buffer;
    };
    page.hashes.fill(0, 64, 96);
    db.prepare('UPDATE ledger_hash_pages SET hashes = ? WHERE page = 0').run(page.hashes);
    expect(checkpoints.checkpoint(new Date('2026-01-03T12:00:05Z'), signer)).toMatchObject({
      ok: false,
      code: 'inconsistent',
    });
    expect(checkpoints.list().map((c) => c.size)).toEqual([2]);
  });
});
