// Ledger benchmark: appends per second in batches against a baseline of SHA-256 plus a bare
// INSERT (same run, same database settings); appends with commitments (version 2: public part,
// salt, private part) against the version 1 encoding (whole entry as the leaf) that hubs wrote
// before; and inclusion / consistency proof times at 1,000,000 entries against a baseline of one
// bare primary-key SELECT.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LedgerEntry } from '../src/ledger/ledger-entry.js';
import { type Hash, hashLeaf } from '../src/ledger/ledger-hash.js';
import { createSigner, formatVerifierKey, parseVerifierKey } from '../src/ledger/ledger-note.js';
import { verifyConsistency, verifyInclusion } from '../src/ledger/ledger-proof.js';
import type { LedgerResult } from '../src/ledger/ledger-result.js';
import { sqliteLedgerService } from '../src/store/ledger-service.js';
import { openSqlite } from '../src/store/sqlite/database.js';
import { SqliteLedgerCheckpoints } from '../src/store/sqlite/ledger-checkpoints.js';
import { encodeLegacyEntries, SqliteLedger } from '../src/store/sqlite/ledger-store.js';
import { medianMs, report } from './report.js';

const BENCH = 'ledger';

function unwrap<T extends object>(res: LedgerResult<T>): T {
  if (!res.ok) throw new Error(res.message);
  return res;
}
const BATCH = 1000;
const ROUNDS = 7;
const ROUND_ENTRIES = 20_000;
const PROOF_TREE = 1_000_000;

const entry = (i: number): LedgerEntry => ({
  kind: 'release',
  time: '2026-01-03T12:00:00.000Z',
  actor: 'officer-7',
  release_id: `release--${i}`,
  partner: 'identity--2f7c2b0e-3c5a-4a61-9d0a-6b1f0f6b8a11',
  derived_id: 'indicator--0a0b2d5f-7c55-5f5e-8b3d-9b6c9a7c3f10',
  original_id: 'indicator--1b9c3c7e-2e8f-4a0e-8f1d-2f0d6f6b8a22',
  original_version: '2026-01-02T10:00:00.000Z',
  agreement_version: '3',
  reasons: ['policy:release-allied'],
  approvals: [{ approver: 'officer-9', time: '2026-01-03T11:00:00Z' }],
  tearline_digest: `sha256:${i.toString(16).padStart(64, '0')}`,
});

const dir = mkdtempSync(join(tmpdir(), 'tearline-bench-ledger-'));
try {
  // Baseline: hash each entry's bytes and insert them, batch by batch, nothing else.
  const baseDb = openSqlite(join(dir, 'baseline.db'));
  baseDb.exec('CREATE TABLE bare (idx INTEGER PRIMARY KEY, hash BLOB NOT NULL, bytes BLOB NOT NULL)');
  const bareInsert = baseDb.prepare('INSERT INTO bare (idx, hash, bytes) VALUES (?, ?, ?)');
  const payloads = Array.from({ length: BATCH }, (_, i) => Buffer.from(JSON.stringify(entry(i))));
  let baseNext = 0;
  const runBaseline = (count: number) => {
    for (let end = baseNext + count; baseNext < end; baseNext += BATCH) {
      baseDb.transaction(() => {
        for (let i = 0; i < BATCH; i++) {
          const bytes = payloads[i] as Buffer;
          bareInsert.run(baseNext + i, createHash('sha256').update(bytes).digest(), bytes);
        }
      })();
    }
  };

  // The ledger: validate, canonicalise, leaf hash, tree hashes, entry and hash rows.
  const db = openSqlite(join(dir, 'ledger.db'));
  const ledger = new SqliteLedger(db);
  // Each batch's entries are built just before it is appended, as a caller builds them.
  const runLedger = (count: number) => {
    for (let done = 0; done < count; done += BATCH) {
      const first = ledger.size();
      unwrap(ledger.appendEntries(Array.from({ length: BATCH }, (_, i) => entry(first + i))));
    }
  };

  // The machine is shared: alternate baseline and ledger rounds so both see the same load,
  // and report medians.
  const perSec = (fn: (n: number) => void) => {
    const t = process.hrtime.bigint();
    fn(ROUND_ENTRIES);
    return ROUND_ENTRIES / (Number(process.hrtime.bigint() - t) / 1e9);
  };
  const rounds = Array.from({ length: ROUNDS }, () => {
    const base = perSec(runBaseline);
    const led = perSec(runLedger);
    return { base, led, ratio: led / base };
  });
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const ledgerPerSec = median(rounds.map((r) => r.led));
  report({
    bench: BENCH,
    metric: `appendEntries, batches of ${BATCH} (median of ${ROUNDS} interleaved rounds)`,
    value: ledgerPerSec,
    unit: 'entries/s',
    baseline: median(rounds.map((r) => r.base)),
    ratio: median(rounds.map((r) => r.ratio)),
    target: '>= 50,000 entries/s',
    met: ledgerPerSec >= 50_000,
  });
  baseDb.close();

  // Version 2 (commitments) against version 1 (the whole entry as the leaf), each in a ledger of
  // its own, interleaved: what splitting entries and committing to the private part costs.
  const v1Db = openSqlite(join(dir, 'v1.db'));
  const v1 = new SqliteLedger(v1Db);
  const v2Db = openSqlite(join(dir, 'v2.db'));
  const v2 = new SqliteLedger(v2Db);
  const runV1 = (count: number) => {
    for (let done = 0; done < count; done += BATCH) {
      const first = v1.size();
      const encoded = unwrap(encodeLegacyEntries(Array.from({ length: BATCH }, (_, i) => entry(first + i))));
      unwrap(v1.appendSealed(encoded.sealed));
    }
  };
  const runV2 = (count: number) => {
    for (let done = 0; done < count; done += BATCH) {
      const first = v2.size();
      unwrap(v2.appendEntries(Array.from({ length: BATCH }, (_, i) => entry(first + i))));
    }
  };
  const versions = Array.from({ length: ROUNDS }, () => {
    const old = perSec(runV1);
    const committed = perSec(runV2);
    return { old, committed, ratio: committed / old };
  });
  const committedPerSec = median(versions.map((r) => r.committed));
  report({
    bench: BENCH,
    metric: `appendEntries with commitments (v2) vs the v1 encoding, batches of ${BATCH} (median of ${ROUNDS} interleaved rounds)`,
    value: committedPerSec,
    unit: 'entries/s',
    baseline: median(versions.map((r) => r.old)),
    ratio: median(versions.map((r) => r.ratio)),
    target: '>= 50,000 entries/s',
    met: committedPerSec >= 50_000,
  });
  v1Db.close();
  v2Db.close();

  // Grow the same ledger to a million entries, then time proofs.
  while (ledger.size() < PROOF_TREE) {
    const start = ledger.size();
    const res = ledger.appendEntries(
      Array.from({ length: Math.min(10_000, PROOF_TREE - start) }, (_, i) => entry(start + i)),
    );
    if (!res.ok) throw new Error(res.message);
  }
  const size = ledger.size();
  const rootRes = ledger.root(size);
  if (!rootRes.ok) throw new Error(rootRes.message);
  const root = rootRes.root;

  const bareSelect = db.prepare('SELECT bytes FROM ledger_entries WHERE idx = ?');
  let k = 0;
  const REPEAT = 200;
  const selectMs =
    medianMs(15, () => {
      for (let i = 0; i < REPEAT; i++) bareSelect.get((k++ * 7919) % size);
    }) / REPEAT;

  const indexes = Array.from({ length: REPEAT }, (_, i) => (i * 104_729 + 13) % size);
  const inclusionMs =
    medianMs(15, () => {
      for (const index of indexes) {
        const p = ledger.proveInclusion(index, size);
        if (!p.ok) throw new Error(p.message);
      }
    }) / REPEAT;
  report({
    bench: BENCH,
    metric: `inclusion proof at ${size.toLocaleString('en')} entries (build from store)`,
    value: inclusionMs,
    unit: 'ms',
    baseline: selectMs,
    ratio: inclusionMs / selectMs,
    target: '< 1 ms',
    met: inclusionMs < 1,
  });

  const leafHashes = indexes.map((i) => hashLeaf((ledger.readEntry(i) as { bytes: Buffer }).bytes));
  const proofs = indexes.map((i) => {
    const p = ledger.proveInclusion(i, size);
    if (!p.ok) throw new Error(p.message);
    return p.proof;
  });
  const verifyMs =
    medianMs(15, () => {
      indexes.forEach((index, j) => {
        if (!verifyInclusion(index, size, leafHashes[j] as Hash, proofs[j] as Hash[], root).ok)
          throw new Error('bad proof');
      });
    }) / REPEAT;
  report({
    bench: BENCH,
    metric: `inclusion proof verification at ${size.toLocaleString('en')}`,
    value: verifyMs,
    unit: 'ms',
    baseline: selectMs,
    ratio: verifyMs / selectMs,
    target: '< 1 ms',
    met: verifyMs < 1,
  });

  const olds = indexes.map((i) => 1 + i);
  const consistencyMs =
    medianMs(15, () => {
      for (const old of olds) {
        const p = ledger.proveConsistency(old, size);
        if (!p.ok) throw new Error(p.message);
      }
    }) / REPEAT;
  report({
    bench: BENCH,
    metric: `consistency proof to ${size.toLocaleString('en')} entries (build from store)`,
    value: consistencyMs,
    unit: 'ms',
    baseline: selectMs,
    ratio: consistencyMs / selectMs,
    target: '< 1 ms',
    met: consistencyMs < 1,
  });
  const oldRoots = olds.slice(0, 20).map((old) => unwrap(ledger.root(old)).root);
  const consProofs = olds.slice(0, 20).map((old) => unwrap(ledger.proveConsistency(old, size)).proof);
  const consVerifyMs =
    medianMs(15, () => {
      olds.slice(0, 20).forEach((old, j) => {
        if (!verifyConsistency(old, size, consProofs[j] as Hash[], oldRoots[j] as Hash, root).ok)
          throw new Error('bad proof');
      });
    }) / 20;
  report({
    bench: BENCH,
    metric: `consistency proof verification to ${size.toLocaleString('en')}`,
    value: consVerifyMs,
    unit: 'ms',
    baseline: selectMs,
    ratio: consVerifyMs / selectMs,
    target: '< 1 ms',
    met: consVerifyMs < 1,
  });
  // Full audit (what `tearline ledger verify` does) against reading and hashing every entry.
  const signer = unwrap(createSigner('bench.example', Buffer.alloc(32, 1))).signer;
  unwrap(new SqliteLedgerCheckpoints(ledger).checkpoint(new Date('2026-01-03T12:00:00Z'), signer));
  const verifier = unwrap(parseVerifierKey(formatVerifierKey(signer.name, signer.publicKey))).verifier;
  let t0 = process.hrtime.bigint();
  for (let start = 0; start < size; start += 10_000) {
    for (const row of ledger.readEntries(start, start + 10_000))
      createHash('sha256').update(row.bytes).digest();
  }
  const readHashSec = Number(process.hrtime.bigint() - t0) / 1e9;
  t0 = process.hrtime.bigint();
  const audit = await sqliteLedgerService(ledger, new SqliteLedgerCheckpoints(ledger)).audit(verifier);
  const auditSec = Number(process.hrtime.bigint() - t0) / 1e9;
  if (!audit.ok) throw new Error(audit.message);
  report({
    bench: BENCH,
    metric: `full audit (ledger verify) of ${size.toLocaleString('en')} entries`,
    value: auditSec,
    unit: 's',
    baseline: readHashSec,
    ratio: auditSec / readHashSec,
  });
  db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
