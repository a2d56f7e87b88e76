import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { type LedgerEntry, releaseIdOf } from '../../ledger/ledger-entry.js';
import { TreeFrontier } from '../../ledger/ledger-frontier.js';
import { HASH_SIZE, type Hash, hashLeaf } from '../../ledger/ledger-hash.js';
import {
  assembleProof,
  hashRange,
  nodesOfRanges,
  planConsistency,
  planInclusion,
} from '../../ledger/ledger-proof.js';
import { fail, type LedgerResult } from '../../ledger/ledger-result.js';
import { countStoredHashes, storedHashIndex } from '../../ledger/ledger-tree-math.js';
import type { LedgerEntryRow, StoredEntryColumns } from '../ledger-rows.js';
import {
  ENTRY_COLUMNS,
  entryRowOf,
  HASHES_PER_PAGE,
  hashPageRows,
  LedgerStoreError,
} from '../ledger-rows.js';
import { type RandomSource, type SealedEntry, sealEntries } from '../sqlite/ledger-store.js';
import { PG_LOCK_CLASS } from './pg-migrations.js';
import { inPgTransaction } from './pg-transaction.js';

export { HASHES_PER_PAGE };

/**
 * The ledger's one sequencer: every append in a schema, from any process, takes this lock in its
 * transaction, so two appends never read the same tree size. Callers that also store objects
 * take the objects lock first (never the other way round), so the two cannot deadlock.
 */
export const LOCK_LEDGER = `SELECT pg_advisory_xact_lock(${PG_LOCK_CLASS}, hashtext('ledger:' || current_schema()))`;

export type Queryable = pg.Pool | pg.PoolClient;

/** Stored hashes by id, read in one query (the pages that hold them). */
async function readHashes(q: Queryable, ids: readonly number[]): Promise<Map<number, Buffer>> {
  const out = new Map<number, Buffer>();
  if (ids.length === 0) return out;
  const pages = [...new Set(ids.map((id) => Math.floor(id / HASHES_PER_PAGE)))];
  const res = await q.query<{ page: string; hashes: Buffer }>(
    'SELECT page, hashes FROM ledger_hash_pages WHERE page = ANY($1::bigint[])',
    [pages],
  );
  const byPage = new Map(res.rows.map((r) => [Number(r.page), r.hashes]));
  for (const id of ids) {
    const page = byPage.get(Math.floor(id / HASHES_PER_PAGE));
    const at = (id % HASHES_PER_PAGE) * HASH_SIZE;
    if (page && page.length >= at + HASH_SIZE) out.set(id, page.subarray(at, at + HASH_SIZE));
  }
  return out;
}

function requireHash(hashes: Map<number, Buffer>, id: number): Hash {
  const hash = hashes.get(id);
  if (!hash) throw new LedgerStoreError(`no stored hash ${id}: the ledger tables are damaged`);
  return hash;
}

/** The disclosure ledger in PostgreSQL: same entries, bytes and hash layout as the SQLite one. */
export class PgLedger {
  readonly #pool: pg.Pool;
  readonly #random: RandomSource;

  constructor(pool: pg.Pool, random: RandomSource = randomBytes) {
    this.#pool = pool;
    this.#random = random;
  }

  async size(q: Queryable = this.#pool): Promise<number> {
    const res = await q.query<{ n: string }>('SELECT coalesce(max(idx) + 1, 0) AS n FROM ledger_entries');
    return Number(res.rows[0]?.n ?? 0);
  }

  /**
   * Appends entries in order inside the caller's transaction `tx` (BEGIN already sent), so the
   * caller's own writes and the entries commit together. Rejects the whole batch if any entry is
   * invalid; throws LedgerStoreError, which the caller must let abort its transaction, if the stored
   * tree is damaged.
   */
  async appendEntries(
    tx: pg.PoolClient,
    entries: readonly LedgerEntry[],
  ): Promise<LedgerResult<{ first: number; size: number }>> {
    const sealed = sealEntries(entries, this.#random);
    return sealed.ok ? this.appendSealed(tx, sealed.sealed) : sealed;
  }

  /** As appendEntries, for entries already sealed (or version 1 encoded, for tests). */
  async appendSealed(
    tx: pg.PoolClient,
    encoded: readonly SealedEntry[],
  ): Promise<LedgerResult<{ first: number; size: number }>> {
    await tx.query(LOCK_LEDGER);
    const first = await this.size(tx);
    const nodeIds = TreeFrontier.nodesFor(first).map(storedHashIndex);
    const firstHash = countStoredHashes(first);
    const partialPage = Math.floor(firstHash / HASHES_PER_PAGE);
    // The frontier's nodes and the partial last page, in one read.
    const known = await readHashes(tx, [
      ...nodeIds,
      ...(firstHash % HASHES_PER_PAGE > 0 ? [firstHash - 1] : []),
    ]);
    const frontier = TreeFrontier.resume(
      first,
      nodeIds.map((id) => requireHash(known, id)),
    );
    const created: Hash[] = [];
    for (const { leaf } of encoded) frontier.appendTo(hashLeaf(leaf), created);
    if (encoded.length === 0) return { ok: true, first, size: first };
    await tx.query(
      `INSERT INTO ledger_entries (idx, kind, time, actor, release_id, bytes, salt, private)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bytea[],
                            $7::bytea[], $8::bytea[])`,
      [
        encoded.map((_, i) => first + i),
        encoded.map((e) => e.entry.kind),
        encoded.map((e) => e.entry.time),
        encoded.map((e) => e.entry.actor),
        encoded.map((e) => releaseIdOf(e.entry) ?? null),
        encoded.map((e) => e.leaf),
        encoded.map((e) => (e.opening ? Buffer.from(e.opening.salt) : null)),
        encoded.map((e) => (e.opening ? Buffer.from(e.opening.private) : null)),
      ],
    );
    await this.#appendHashes(tx, firstHash, partialPage, created);
    return { ok: true, first, size: frontier.size };
  }

  /** As appendEntries, in a transaction of its own. */
  async appendEntriesAlone(
    entries: readonly LedgerEntry[],
  ): Promise<LedgerResult<{ first: number; size: number }>> {
    return inPgTransaction(
      this.#pool,
      (tx) => this.appendEntries(tx, entries),
      (res) => res.ok,
    );
  }

  async #appendHashes(
    tx: pg.PoolClient,
    firstId: number,
    page: number,
    hashes: readonly Hash[],
  ): Promise<void> {
    const existing =
      firstId % HASHES_PER_PAGE > 0
        ? (await tx.query<{ hashes: Buffer }>('SELECT hashes FROM ledger_hash_pages WHERE page = $1', [page]))
            .rows[0]?.hashes
        : undefined;
    const rows = hashPageRows(firstId, existing, hashes);
    const pages = rows.map((r) => r.page);
    const blobs = rows.map((r) => r.hashes);
    await tx.query(
      `INSERT INTO ledger_hash_pages (page, hashes) SELECT * FROM unnest($1::bigint[], $2::bytea[])
       ON CONFLICT (page) DO UPDATE SET hashes = excluded.hashes`,
      [pages, blobs],
    );
  }

  /** `q`: a transaction's client, to read what it has written or to read under its lock. */
  async root(size: number, q: Queryable = this.#pool): Promise<LedgerResult<{ root: Hash }>> {
    const have = await this.size(q);
    if (size > have) return fail('bad-size', `tree size ${size} is beyond the ledger's ${have} entries`);
    const hashes = await readHashes(q, nodesOfRanges([{ lo: 0, hi: size }]).map(storedHashIndex));
    return { ok: true, root: hashRange({ lo: 0, hi: size }, (n) => requireHash(hashes, storedHashIndex(n))) };
  }

  async proveConsistency(
    size1: number,
    size2: number,
    q: Queryable = this.#pool,
  ): Promise<LedgerResult<{ proof: Hash[] }>> {
    const have = await this.size(q);
    if (size2 > have) return fail('bad-size', `tree size ${size2} is beyond the ledger's ${have} entries`);
    const plan = planConsistency(size1, size2);
    if (!plan.ok) return plan;
    const hashes = await readHashes(q, nodesOfRanges(plan.ranges).map(storedHashIndex));
    return { ok: true, proof: assembleProof(plan.ranges, (n) => requireHash(hashes, storedHashIndex(n))) };
  }

  async proveInclusion(index: number, size: number): Promise<LedgerResult<{ proof: Hash[] }>> {
    const have = await this.size();
    if (size > have) return fail('bad-size', `tree size ${size} is beyond the ledger's ${have} entries`);
    const plan = planInclusion(index, size);
    if (!plan.ok) return plan;
    const hashes = await readHashes(this.#pool, nodesOfRanges(plan.ranges).map(storedHashIndex));
    return { ok: true, proof: assembleProof(plan.ranges, (n) => requireHash(hashes, storedHashIndex(n))) };
  }

  async readEntry(index: number): Promise<LedgerEntryRow | undefined> {
    return (await this.readEntries(index, index + 1))[0];
  }

  /** Index of the 'release' entry of a release. */
  async findRelease(releaseId: string): Promise<number | undefined> {
    const res = await this.#pool.query<{ idx: string }>(
      "SELECT idx FROM ledger_entries WHERE release_id = $1 AND kind = 'release' ORDER BY idx LIMIT 1",
      [releaseId],
    );
    const idx = res.rows[0]?.idx;
    return idx === undefined ? undefined : Number(idx);
  }

  /** Entries [start, end) in order, at most `max` of them, with their openings. */
  async readEntries(start: number, end: number, max = 10_000): Promise<LedgerEntryRow[]> {
    const res = await this.#pool.query<StoredEntryColumns>(
      `SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE idx >= $1 AND idx < $2 ORDER BY idx`,
      [start, Math.min(end, start + max)],
    );
    return res.rows.map(entryRowOf);
  }

  /** As SqliteLedger.sizeBefore: the size of the prefix of entries dated before `time`. */
  async sizeBefore(time: string, from: number, q: Queryable = this.#pool): Promise<number> {
    const res = await q.query<{ idx: string | null }>(
      'SELECT min(idx) AS idx FROM ledger_entries WHERE idx >= $1 AND time COLLATE "C" >= $2',
      [from, time],
    );
    const idx = res.rows[0]?.idx;
    return idx === null || idx === undefined ? this.size(q) : Number(idx);
  }

  async readDeliveryItems(index: number): Promise<string | undefined> {
    const res = await this.#pool.query<{ items: string }>(
      'SELECT items FROM ledger_deliveries WHERE idx = $1',
      [index],
    );
    return res.rows[0]?.items;
  }

  /** Stored hashes with ids in [from, to), for audits that walk the tree in chunks. */
  async readHashRange(from: number, to: number): Promise<Map<number, Buffer>> {
    const out = new Map<number, Buffer>();
    if (to <= from) return out;
    const res = await this.#pool.query<{ page: string; hashes: Buffer }>(
      'SELECT page, hashes FROM ledger_hash_pages WHERE page >= $1 AND page <= $2 ORDER BY page',
      [Math.floor(from / HASHES_PER_PAGE), Math.floor((to - 1) / HASHES_PER_PAGE)],
    );
    for (const r of res.rows) {
      const page = Number(r.page);
      for (let slot = 0; slot * HASH_SIZE + HASH_SIZE <= r.hashes.length; slot++) {
        const id = page * HASHES_PER_PAGE + slot;
        if (id >= from && id < to) out.set(id, r.hashes.subarray(slot * HASH_SIZE, (slot + 1) * HASH_SIZE));
      }
    }
    return out;
  }

  async countHashes(): Promise<{ hashes: number; pages: number }> {
    const res = await this.#pool.query<{ pages: string; bytes: string | null }>(
      'SELECT count(*) AS pages, sum(length(hashes)) AS bytes FROM ledger_hash_pages',
    );
    const row = res.rows[0];
    return { hashes: Number(row?.bytes ?? 0) / HASH_SIZE, pages: Number(row?.pages ?? 0) };
  }

  /** Every stored hash in append order, for audits that recompute the whole tree. */
  async readAllHashes(): Promise<Buffer> {
    const res = await this.#pool.query<{ hashes: Buffer }>(
      'SELECT hashes FROM ledger_hash_pages ORDER BY page',
    );
    return Buffer.concat(res.rows.map((r) => r.hashes));
  }
}
