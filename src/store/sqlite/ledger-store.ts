import { randomBytes } from 'node:crypto';
import { type EntryOpening, SALT_BYTES, sealEntry } from '../../ledger/ledger-commitment.js';
import { encodeEntry, type LedgerEntry, releaseIdOf } from '../../ledger/ledger-entry.js';
import { TreeFrontier } from '../../ledger/ledger-frontier.js';
import { type Hash, hashLeaf } from '../../ledger/ledger-hash.js';
import type { LedgerAppender, LedgerProofReader } from '../../ledger/ledger-ports.js';
import { assembleProof, hashRange, planConsistency, planInclusion } from '../../ledger/ledger-proof.js';
import { fail, type LedgerResult } from '../../ledger/ledger-result.js';
import { countStoredHashes, type NodeId, storedHashIndex } from '../../ledger/ledger-tree-math.js';
import type { LedgerEntryRow, StoredEntryColumns } from '../ledger-rows.js';
import { ENTRY_COLUMNS, entryRowOf, LedgerStoreError } from '../ledger-rows.js';
import type { SqliteDatabase } from './database.js';
import { LedgerHashPages } from './ledger-hash-pages.js';

export { type LedgerEntryRow, LedgerStoreError };

const SELECT_ROWS = `SELECT ${ENTRY_COLUMNS} FROM ledger_entries`;

/** One entry as it is written: its columns, its leaf and (version 2) its opening. */
export interface SealedEntry {
  entry: LedgerEntry;
  leaf: Buffer;
  opening: EntryOpening | undefined;
}

/** Where the salts come from; tests pass a seeded source, the hub the system's CSPRNG. */
export type RandomSource = (size: number) => Uint8Array;

/**
 * Seals entries for appending (ledger-commitment.ts), one fresh salt each, drawn in one call
 * per batch. Rejects the whole batch, naming the entry, if any is invalid.
 */
export function sealEntries(
  entries: readonly LedgerEntry[],
  random: RandomSource,
): LedgerResult<{ sealed: SealedEntry[] }> {
  const salts = entries.length > 0 ? random(SALT_BYTES * entries.length) : new Uint8Array(0);
  if (salts.length !== SALT_BYTES * entries.length) return fail('bad-entry', 'the salt source ran short');
  const sealed: SealedEntry[] = [];
  for (const [i, entry] of entries.entries()) {
    const res = sealEntry(entry, salts.subarray(i * SALT_BYTES, (i + 1) * SALT_BYTES));
    if (!res.ok) return fail(res.code, `entries[${i}]: ${res.message}`);
    sealed.push({ entry, leaf: res.leaf, opening: res.opening });
  }
  return { ok: true, sealed };
}

/** Version 1 encoding: the whole entry is the leaf. Only to build older ledgers (tests, benchmarks). */
export function encodeLegacyEntries(
  entries: readonly LedgerEntry[],
): LedgerResult<{ sealed: SealedEntry[] }> {
  const sealed: SealedEntry[] = [];
  for (const [i, entry] of entries.entries()) {
    const res = encodeEntry(entry);
    if (!res.ok) return fail(res.code, `entries[${i}]: ${res.message}`);
    sealed.push({ entry, leaf: res.bytes, opening: undefined });
  }
  return { ok: true, sealed };
}

/** Entry rows per multi-row INSERT: one statement per 100 rows instead of 100 statements. */
const INSERT_ROWS = 100;

/** Most rows one range read returns; callers page with `start`. */
export const MAX_RANGE_ROWS = 10_000;

/**
 * The ledger's entries and Merkle hashes in SQLite. Everything is synchronous so a caller can
 * put its own writes and `appendEntries` in one `db.transaction(...)`: the release and its
 * ledger entry then commit or roll back together. It stays beside the portable ledger
 * (postgres/pg-ledger.ts) for the release feed's SQLite fast path, whose transactions are
 * synchronous for a measured reason (sqlite/release-feed.ts: the portable feed adds 0.49x the
 * releases inside a pass's transaction); checkpoint signing is written once for both
 * (checkpointSigning in ledger/ledger-checkpoint-rules.ts).
 */
export class SqliteLedger implements LedgerAppender, LedgerProofReader {
  readonly db: SqliteDatabase;
  readonly hashes: LedgerHashPages;
  readonly #statements;

  readonly #random: RandomSource;

  constructor(db: SqliteDatabase, random: RandomSource = randomBytes) {
    this.db = db;
    this.#random = random;
    this.hashes = new LedgerHashPages(db);
    this.#statements = {
      size: db.prepare<[], { idx: number }>('SELECT idx FROM ledger_entries ORDER BY idx DESC LIMIT 1'),
      insertEntry: db.prepare(
        'INSERT INTO ledger_entries (idx, kind, time, actor, release_id, bytes, salt, private) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      insertEntries: db.prepare(
        `INSERT INTO ledger_entries (idx, kind, time, actor, release_id, bytes, salt, private) VALUES ${Array(INSERT_ROWS).fill('(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      ),
      entry: db.prepare<[number], StoredEntryColumns>(`${SELECT_ROWS} WHERE idx = ?`),
      range: db.prepare<[number, number], StoredEntryColumns>(
        `${SELECT_ROWS} WHERE idx >= ? AND idx < ? ORDER BY idx`,
      ),
      firstAtOrAfter: db.prepare<[number, string], { idx: number | null }>(
        'SELECT min(idx) AS idx FROM ledger_entries WHERE idx >= ? AND time >= ?',
      ),
      deliveryItems: db.prepare<[number], { items: string }>(
        'SELECT items FROM ledger_deliveries WHERE idx = ?',
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
    const sealed = sealEntries(entries, this.#random);
    return sealed.ok ? this.appendSealed(sealed.sealed) : sealed;
  }

  /**
   * Appends entries already sealed (sealEntries) or, to build an older ledger in tests and
   * benchmarks, encoded as version 1 (encodeLegacyEntries). Same transaction rules as
   * appendEntries.
   */
  appendSealed(sealed: readonly SealedEntry[]): LedgerResult<{ first: number; size: number }> {
    const run = this.db.transaction(() => {
      const first = this.size();
      const frontier = TreeFrontier.resume(first, TreeFrontier.nodesFor(first).map(this.readNode));
      const { insertEntry, insertEntries } = this.#statements;
      const created: Hash[] = [];
      let params: unknown[] = [];
      for (const { entry, leaf, opening } of sealed) {
        params.push(
          frontier.size,
          entry.kind,
          entry.time,
          entry.actor,
          releaseIdOf(entry) ?? null,
          leaf,
          opening?.salt ?? null,
          opening?.private ?? null,
        );
        if (params.length === INSERT_ROWS * 8) {
          insertEntries.run(params);
          params = [];
        }
        frontier.appendTo(hashLeaf(leaf), created);
      }
      for (let at = 0; at < params.length; at += 8) insertEntry.run(params.slice(at, at + 8));
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
    return row && entryRowOf(row);
  }

  /** Entries [start, end), at most MAX_RANGE_ROWS of them. */
  readEntries(start: number, end: number): LedgerEntryRow[] {
    return this.#statements.range.all(start, Math.min(end, start + MAX_RANGE_ROWS)).map(entryRowOf);
  }

  /** Index of the 'release' entry of a release. */
  findRelease(releaseId: string): number | undefined {
    return this.#statements.release.get(releaseId)?.idx;
  }

  /**
   * The first index >= `from` whose entry's time is at or after `time` (RFC 3339 as
   * Date.toISOString writes it), or the tree size when there is none: the size of the prefix a
   * checkpoint at that time covers.
   */
  sizeBefore(time: string, from: number): number {
    return this.#statements.firstAtOrAfter.get(from, time)?.idx ?? this.size();
  }

  /** The list beside a delivery entry (canonical JSON of its pairs), if there is one. */
  readDeliveryItems(index: number): string | undefined {
    return this.#statements.deliveryItems.get(index)?.items;
  }
}
