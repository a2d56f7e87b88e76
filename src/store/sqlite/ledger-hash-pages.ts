import { HASH_SIZE, type Hash } from '../../ledger/ledger-hash.js';
import { HASHES_PER_PAGE, hashPageRows } from '../ledger-rows.js';
import type { SqliteDatabase } from './database.js';

/** Complete subtree hashes per page row (2 KiB pages), as on PostgreSQL. */
export { HASHES_PER_PAGE };

/**
 * The append-only sequence of stored hashes, packed into fixed-size pages. Hash i lives in
 * page floor(i / 64) at slot i % 64; only the last page is ever partial.
 */
export class LedgerHashPages {
  readonly #statements;

  constructor(db: SqliteDatabase) {
    this.#statements = {
      slot: db.prepare<[number, number], { hash: Buffer | null }>(
        'SELECT substr(hashes, ?, 32) AS hash FROM ledger_hash_pages WHERE page = ?',
      ),
      page: db.prepare<[number], { hashes: Buffer }>('SELECT hashes FROM ledger_hash_pages WHERE page = ?'),
      pages: db.prepare<[number, number], { page: number; hashes: Buffer }>(
        'SELECT page, hashes FROM ledger_hash_pages WHERE page >= ? AND page <= ? ORDER BY page',
      ),
      upsert: db.prepare(
        'INSERT INTO ledger_hash_pages (page, hashes) VALUES (?, ?) ON CONFLICT (page) DO UPDATE SET hashes = excluded.hashes',
      ),
      count: db.prepare<[], { pages: number; bytes: number | null }>(
        'SELECT COUNT(*) AS pages, SUM(length(hashes)) AS bytes FROM ledger_hash_pages',
      ),
    };
  }

  /** Hash number `id`; undefined when it is not stored (or its page is short). */
  read(id: number): Hash | undefined {
    const row = this.#statements.slot.get(
      (id % HASHES_PER_PAGE) * HASH_SIZE + 1,
      Math.floor(id / HASHES_PER_PAGE),
    );
    return row?.hash && row.hash.length === HASH_SIZE ? row.hash : undefined;
  }

  /** Hashes [from, to) as far as stored, keyed by id, for sequential audits. */
  readRange(from: number, to: number): Map<number, Buffer> {
    const out = new Map<number, Buffer>();
    if (to <= from) return out;
    const rows = this.#statements.pages.all(
      Math.floor(from / HASHES_PER_PAGE),
      Math.floor((to - 1) / HASHES_PER_PAGE),
    );
    for (const { page, hashes } of rows) {
      for (let slot = 0; slot * HASH_SIZE + HASH_SIZE <= hashes.length; slot++) {
        const id = page * HASHES_PER_PAGE + slot;
        if (id >= from && id < to) out.set(id, hashes.subarray(slot * HASH_SIZE, (slot + 1) * HASH_SIZE));
      }
    }
    return out;
  }

  /** Number of stored hashes, assuming every page but the last is full (audits check that). */
  count(): { hashes: number; pages: number } {
    const { pages, bytes } = this.#statements.count.get() ?? { pages: 0, bytes: 0 };
    return { hashes: (bytes ?? 0) / HASH_SIZE, pages };
  }

  /** Appends hashes that start at id `firstId` (the current count): rewrites the partial page. */
  append(firstId: number, hashes: readonly Hash[]): void {
    if (hashes.length === 0) return;
    const partial = firstId % HASHES_PER_PAGE > 0;
    const existing = partial
      ? this.#statements.page.get(Math.floor(firstId / HASHES_PER_PAGE))?.hashes
      : undefined;
    for (const row of hashPageRows(firstId, existing, hashes))
      this.#statements.upsert.run(row.page, row.hashes);
  }
}
