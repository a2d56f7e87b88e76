import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { openCheckpoint } from '../src/ledger/ledger-checkpoint.js';
import { openStoredEntry } from '../src/ledger/ledger-commitment.js';
import { MemoryTree } from '../src/ledger/ledger-memory-tree.js';
import { createSigner, formatVerifierKey, parseVerifierKey } from '../src/ledger/ledger-note.js';
import { ingestBatchEntry } from '../src/store/ingest-batch-entry.js';
import type { StoredObject } from '../src/store/ports.js';
import { PgLedger } from '../src/store/postgres/pg-ledger.js';
import { PgLedgerCheckpoints } from '../src/store/postgres/pg-ledger-checkpoints.js';
import { PgObjectStore } from '../src/store/postgres/pg-object-store.js';
import { openTestSchema, PG_SKIP_REASON, TEST_PG_URL } from '../src/store/postgres/pg-test-schema.js';
import { REPO_ROOT } from './run-cli.js';

if (!TEST_PG_URL) console.warn(PG_SKIP_REASON);

const WORKERS = 3;
const BATCHES = 40;
const SIZE = 50;
const KEY_SEED = Buffer.alloc(32, 9);
const INDICATOR = 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f';

type Line = [outcome: string, id: string, version: string, addedUs: number | null][];

function startWorker(schema: string, worker: number) {
  const child = spawn(
    process.execPath,
    [
      join(REPO_ROOT, 'test', 'postgres-import-child.mjs'),
      TEST_PG_URL,
      schema,
      String(worker),
      String(BATCHES),
      String(SIZE),
      KEY_SEED.toString('hex'),
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  ) as ChildProcessWithoutNullStreams;
  const lines: string[] = [];
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const ready = new Promise<void>((resolve) => {
    createInterface({ input: child.stdout }).on('line', (l) => {
      if (l === 'ready') resolve();
      else lines.push(l);
    });
  });
  const exited = once(child, 'close').then(([code]) => ({ code: code as number, stderr }));
  return { child, ready, exited, batches: () => lines.map((l) => JSON.parse(l) as Line) };
}

/**
 * What `ledger verify` checks, on PostgreSQL: the stored root is the root of the tree rebuilt
 * from the entries, and the entries, in ledger order, account for every stored version in
 * `added` order: batch k's entry digests exactly the next `count` rows. So the one ledger
 * sequence and the `added` order agree across all processes.
 */
async function verifyLedger(pool: pg.Pool, rows: readonly StoredObject[]): Promise<void> {
  const ledger = new PgLedger(pool);
  const size = await ledger.size();
  expect(size).toBe(WORKERS * BATCHES);
  const entries = await ledger.readEntries(0, size);
  const root = await ledger.root(size);
  const rebuilt = MemoryTree.fromEntries(entries.map((e) => e.bytes));
  expect(root.ok && Buffer.from(root.root).equals(Buffer.from(rebuilt.root()))).toBe(true);
  let at = 0;
  for (const e of entries) {
    const decoded = openStoredEntry(e.bytes, e.opening);
    if (!decoded.ok || decoded.entry.kind !== 'ingest-batch')
      throw new Error(`entry ${e.index} is not an ingest batch`);
    const entry = decoded.entry;
    const mine = rows.slice(at, at + entry.count);
    at += entry.count;
    expect(entry.digest).toBe(ingestBatchEntry(entry.source, entry.actor, new Date(entry.time), mine).digest);
  }
  expect(at).toBe(rows.length);
  // Checkpoints signed by all three processes with the shared key: each opens, signs the root
  // of the rebuilt tree at its size, and the last covers the whole ledger.
  const made = createSigner('hub.test', KEY_SEED);
  if (!made.ok) throw new Error(made.message);
  const parsed = parseVerifierKey(formatVerifierKey('hub.test', made.signer.publicKey));
  if (!parsed.ok) throw new Error(parsed.message);
  const checkpoints = await new PgLedgerCheckpoints(pool, ledger).list();
  expect(checkpoints.length).toBeGreaterThan(1);
  for (const cp of checkpoints) {
    const opened = openCheckpoint(cp.note, parsed.verifier);
    if (!opened.ok) throw new Error(`checkpoint ${cp.size}: ${opened.message}`);
    expect(opened.checkpoint.size).toBe(cp.size);
    expect(Buffer.from(opened.checkpoint.root).equals(Buffer.from(rebuilt.root(cp.size)))).toBe(true);
  }
  expect(checkpoints.at(-1)?.size).toBe(size);
}

describe.skipIf(!TEST_PG_URL)('PostgreSQL: three hub processes importing into one database at once', () => {
  it('hand out unique added times in commit order, store each version once, keep one verifiable ledger, and a poller misses nothing', async () => {
    const db = await openTestSchema('c');
    try {
      const workers = Array.from({ length: WORKERS }, (_, w) => startWorker(db.schema, w + 1));
      await Promise.race([
        Promise.all(workers.map((w) => w.ready)),
        Promise.all(workers.map((w) => w.exited)).then((r) => {
          throw new Error(`a worker exited before starting: ${JSON.stringify(r)}`);
        }),
      ]);
      for (const w of workers) w.child.stdin.end('go\n');

      // A TAXII-like reader paging with added_after while the writers run: if `added` ever
      // disagreed with commit order, a row committed behind the cursor would be skipped forever.
      const reader = new PgObjectStore(db.pool, systemClock);
      const seen: StoredObject[] = [];
      let cursor = -1;
      let running = true;
      const done = Promise.all(workers.map((w) => w.exited)).finally(() => {
        running = false;
      });
      let polls = 0;
      for (;;) {
        const wasRunning = running;
        const page = await reader.page({ addedAfterUs: cursor, versions: 'all', limit: 200 });
        polls++;
        seen.push(...page);
        if (page.length > 0) cursor = page[page.length - 1]?.addedUs as number;
        else if (!wasRunning) break;
      }
      for (const r of await done) expect(r).toEqual({ code: 0, stderr: '' });

      const all = await reader.page({ versions: 'all', limit: 1_000_000 });
      const perWorker = SIZE + 2;
      // Own objects of every process, one shared domain per batch index, one indicator version per batch.
      const expected = WORKERS * BATCHES * SIZE + BATCHES + WORKERS * BATCHES;
      expect(all.length).toBe(expected);
      expect(seen.map((s) => s.addedUs)).toEqual(all.map((s) => s.addedUs));
      expect(polls).toBeGreaterThan(1);

      const results = workers.flatMap((w) => w.batches());
      expect(results.length).toBe(WORKERS * BATCHES);
      const added = results.flatMap((b) => b.flatMap(([, , , a]) => (a === null ? [] : [a])));
      expect(new Set(added).size).toBe(added.length);
      expect(added.length).toBe(expected);
      expect(new Set(all.map((s) => s.addedUs))).toEqual(new Set(added));
      // Within each process, in the order its batches committed, added only grows.
      for (const w of workers) {
        const mine = w.batches().flatMap((b) => b.flatMap(([, , , a]) => (a === null ? [] : [a])));
        expect(mine).toEqual([...mine].sort((a, b) => a - b));
        expect(w.batches().every((b) => b.length === perWorker)).toBe(true);
      }
      // Each shared object was stored by exactly one process; the others saw a duplicate.
      const shared = results.flatMap((b) => b.filter(([, id]) => id.startsWith('domain-name--')));
      expect(shared.filter(([o]) => o === 'added').length).toBe(BATCHES);
      expect(shared.filter(([o]) => o === 'duplicate').length).toBe((WORKERS - 1) * BATCHES);

      const keys = await db.pool.query<{ n: number; d: number }>(
        'SELECT count(*)::int AS n, count(DISTINCT (id, version))::int AS d FROM objects',
      );
      expect(keys.rows[0]).toEqual({ n: expected, d: expected });
      const latest = await db.pool.query<{ id: string; n: number }>(
        'SELECT id, count(*)::int AS n FROM objects WHERE is_latest GROUP BY id HAVING count(*) <> 1',
      );
      expect(latest.rows).toEqual([]);
      const versions = await reader.getVersions(INDICATOR);
      expect(versions.length).toBe(WORKERS * BATCHES);
      await verifyLedger(db.pool, all);
      expect((await reader.getLatest(INDICATOR))?.version).toBe(versions[versions.length - 1]?.version);
      expect((await reader.stats()).objects).toBe(WORKERS * BATCHES * SIZE + BATCHES + 1);
    } finally {
      await db.drop();
    }
  });
});
