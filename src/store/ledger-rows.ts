import type { EntryOpening } from '../ledger/ledger-commitment.js';
import { HASH_SIZE, type Hash } from '../ledger/ledger-hash.js';

/**
 * One ledger entry as either engine stores it (sqlite/ledger-store.ts, postgres/pg-ledger.ts):
 * one row type and one error for both, so callers never ask which engine answered.
 */
export interface LedgerEntryRow {
  index: number;
  kind: string;
  time: string;
  actor: string;
  releaseId: string | null;
  /** The leaf: what the tree hashes and a receipt carries. */
  bytes: Buffer;
  /** The salt and private part of a version 2 entry; undefined for version 1 (or if lost). */
  opening: EntryOpening | undefined;
}

/** The columns of a ledger_entries row as a driver returns them (PostgreSQL's bigint as text). */
export interface StoredEntryColumns {
  idx: number | string;
  kind: string;
  time: string;
  actor: string;
  release_id: string | null;
  bytes: Buffer;
  salt: Buffer | null;
  private: Buffer | null;
}

/** The columns every read of entries selects, in the order of StoredEntryColumns. */
export const ENTRY_COLUMNS = 'idx, kind, time, actor, release_id, bytes, salt, private';

/** A stored row as the one row type; an entry without both halves of its opening has none. */
export function entryRowOf(r: StoredEntryColumns): LedgerEntryRow {
  return {
    index: Number(r.idx),
    kind: r.kind,
    time: r.time,
    actor: r.actor,
    releaseId: r.release_id,
    bytes: r.bytes,
    opening: r.salt === null || r.private === null ? undefined : { salt: r.salt, private: r.private },
  };
}

/** The store is missing rows the tree needs: it was damaged or tampered with. */
export class LedgerStoreError extends Error {
  override readonly name = 'LedgerStoreError';
}

/** Hashes per row of ledger_hash_pages, on both engines (a row is rewritten while it fills). */
export const HASHES_PER_PAGE = 64;

/**
 * The rows of ledger_hash_pages that appending `hashes` at id `firstId` writes: the partial page
 * read back (`existing`, undefined when there is none) with the new hashes after it, cut into
 * whole pages from its number on. A partial page that is not the length the count says means the
 * tables are damaged: throws LedgerStoreError, which must abort the caller's transaction.
 */
export function hashPageRows(
  firstId: number,
  existing: Uint8Array | undefined,
  hashes: readonly Hash[],
): { page: number; hashes: Buffer }[] {
  const first = Math.floor(firstId / HASHES_PER_PAGE);
  const offset = firstId % HASHES_PER_PAGE;
  const parts: Uint8Array[] = [];
  if (offset > 0) {
    if (!existing || existing.length !== offset * HASH_SIZE) {
      throw new LedgerStoreError(
        `hash page ${first} holds ${existing ? existing.length / HASH_SIZE : 0} hashes, expected ${offset}`,
      );
    }
    parts.push(existing);
  }
  parts.push(...hashes);
  const all = Buffer.concat(parts);
  const pageBytes = HASHES_PER_PAGE * HASH_SIZE;
  const rows: { page: number; hashes: Buffer }[] = [];
  for (let at = 0, page = first; at < all.length; at += pageBytes, page++)
    rows.push({ page, hashes: all.subarray(at, at + pageBytes) });
  return rows;
}
