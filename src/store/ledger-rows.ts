import type { EntryOpening } from '../ledger/ledger-commitment.js';

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

/** The store is missing rows the tree needs: it was damaged or tampered with. */
export class LedgerStoreError extends Error {
  override readonly name = 'LedgerStoreError';
}
