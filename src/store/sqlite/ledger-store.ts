import { encodeEntry, type LedgerEntry, releaseIdOf } from '../../ledger/ledger-entry.js';
import { TreeFrontier } from '../../ledger/ledger-frontier.js';
import { type Hash, hashLeaf } from '../../ledger/ledger-hash.js';
import type { LedgerAppender, LedgerProofReader } from '../../ledger/ledger-ports.js';
import { assembleProof, hashRange, planConsistency, planInclusion } from '../../ledger/ledger-proof.js';
import { fail, type LedgerResult } from '../../ledger/ledger-result.js';
import { countStoredHashes, type NodeId, storedHashIndex } from '../../ledger/ledger-tree-math.js';
import type { SqliteDatabase } from './database.js';
import { LedgerHashPages } from './ledger-hash-pages.js';
import { LedgerStoreError } from './ledger-store-error.js';

export { LedgerStoreError };

export interface LedgerEntryRow {
  index: number;
  kind: string;
  time: string;
  actor: string;
  releaseId: string | null;
  bytes: Buffer;
}

interface RawEntryRow {
  idx: number;
  kind: string;
  time: string;
  actor: string;
  release_id: string | null;
  bytes: Buffer;
}

const toRow = (r: RawEntryRow): LedgerEntryRow => ({
  index: r.idx,
  kind: r.kind,
  time: r.time,
  actor: r.actor,
  releaseId: r.release_id,
  bytes: r.bytes,
});

/** Entry rows per multi-row INSERT: one statement per 100 rows instead of 100 statements. */
const INSERT_ROWS = 100;

/** Most rows one range read returns; callers page with `start`. */
export const MAX_RANGE_ROWS = 10_000;

/**
 * The ledger's entries and Merkle hashes in SQLite. Everything is synchronous so a caller can
 * put its own writes and `appendEntries` in one `db.transaction(...)`: the release and its
 * ledger entry then commit or roll back together.
 */
export class SqliteLedger implements LedgerAppender, LedgerProofReader {
  readonly db: SqliteDatabase;
  readonly hashes: LedgerHashPages;
  readonly #statements;

  constructor(db: SqliteDatabase) {
    this.db = db;
    this.hashes = new LedgerHashPages(db);
    this.#statements = {
      size: db.prepare<[], { idx: number }>('SELECT idx FROM ledger_entries ORDER BY idx DESC LIMIT 1'),
      insertEntry: db.prepare(
        'INSERT INTO ledger_entries (idx, kind, time, actor, release_id, bytes) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      insertEntries: db.prepare(
        `INSERT INTO ledger_entries (idx, kind, time, actor, release_id, bytes) VALUES ${Array(INSERT_ROWS).fill('(?, ?, ?, ?, ?, ?)').join(', ')}`,
      ),
      entry: db.prepare<[number], RawEntryRow>('SELECT * FROM ledger_entries WHERE idx = ?'),
      range: db.prepare<[number, number], RawEntryRow>(
        'SELECT * FROM ledger_entries WHERE idx >= ? AND idx < ? ORDER BY idx',
      ),
      release: db.prepare<[string], { idx: number }>(
        "SELECT idx FROM ledger_entries WHERE release_id = ? AND kind = 'release' ORDER BY idx LIMIT 1",
      ),
    };
  }

  /** Number of entries (the tree size). */
  size(): number {
    const row = this.#statements.size.get();
    return row === undefined ? 0 : row.idx + 1;
  }

  /**
   * Appends entries in order and returns the index of the first. Runs in a transaction of its
   * own, or as a savepoint inside the caller's (open it with `.immediate()` so two writers
   * never read the same tree size). Rejects the whole batch if any entry is invalid; throws
   * LedgerStoreError, which aborts the caller's transaction too, if the stored tree is damaged.
   */
  appendEntries(entries: readonly LedgerEntry[]): LedgerResult<{ first: number; size: number }> {
    const encoded: { entry: LedgerEntry; bytes: Buffer }[] = [];
    for (const [i, entry] of entries.entries()) {
      const res = encodeEntry(entry);
      if (!res.ok) return fail(res.code, `entries[${i}]: ${res.message}`);
      encoded.push({ entry, bytes: res.bytes });
    }
    const run = this.db.transaction(() => {
      const first = this.size();
      const frontier = TreeFrontier.resume(first, TreeFrontier.nodesFor(first).map(this.readNode));
      const { insertEntry, insertEntries } = this.#statements;
      const created: Hash[] = [];
      let params: unknown[] = [];
      for (const { entry, bytes } of encoded) {
        params.push(frontier.size, entry.kind, entry.time, entry.actor, releaseIdOf(entry) ?? null, bytes);
        if (params.length === INSERT_ROWS * 6) {
          insertEntries.run(params);
          params = [];
        }
        frontier.appendTo(hashLeaf(bytes), created);
      }
      for (let at = 0; at < params.length; at += 6) insertEntry.run(params.slice(at, at + 6));
      this.hashes.append(countStoredHashes(first), created);
      return { ok: true as const, first, size: frontier.size };
    });
    return this.db.inTransaction ? run() : run.immediate();
  }

  /** Hash of a complete subtree; throws if the store lacks it (the tree is smaller or damaged). */
  readonly readNode = (node: NodeId): Hash => {
    const hash = this.hashes.read(storedHashIndex(node));
    if (hash === undefined)
      throw new LedgerStoreError(`no stored hash for level ${node.level} index ${node.index}`);
    return hash;
  };

  root(size: number): LedgerResult<{ root: Hash }> {
    if (size > this.size())
      return fail('bad-size', `tree size ${size} is beyond the ledger's ${this.size()} entries`);
    return { ok: true, root: hashRange({ lo: 0, hi: size }, this.readNode) };
  }

  proveInclusion(index: number, size: number): LedgerResult<{ proof: Hash[] }> {
    if (size > this.size())
      return fail('bad-size', `tree size ${size} is beyond the ledger's ${this.size()} entries`);
    const plan = planInclusion(index, size);
    if (!plan.ok) return plan;
    return { ok: true, proof: assembleProof(plan.ranges, this.readNode) };
  }

  proveConsistency(size1: number, size2: number): LedgerResult<{ proof: Hash[] }> {
    if (size2 > this.size())
      return fail('bad-size', `tree size ${size2} is beyond the ledger's ${this.size()} entries`);
    const plan = planConsistency(size1, size2);
    if (!plan.ok) return plan;
    return { ok: true, proof: assembleProof(plan.ranges, this.readNode) };
  }

  readEntry(index: number): LedgerEntryRow | undefined {
    const row = this.#statements.entry.get(index);
    return row && toRow(row);
  }

  /** Entries [start, end), at most MAX_RANGE_ROWS of them. */
  readEntries(start: number, end: number): LedgerEntryRow[] {
    return this.#statements.range.all(start, Math.min(end, start + MAX_RANGE_ROWS)).map(toRow);
  }

  /** Index of the 'release' entry of a release. */
  findRelease(releaseId: string): number | undefined {
    return this.#statements.release.get(releaseId)?.idx;
  }
}
