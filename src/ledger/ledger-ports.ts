import type { CheckpointSchedule } from './ledger-checkpoint-steps.js';
import type { LedgerEntry } from './ledger-entry.js';
import type { Hash } from './ledger-hash.js';
import type { NoteSigner } from './ledger-note.js';
import type { LedgerResult } from './ledger-result.js';

/*
 * What the rest of the hub needs from a ledger store, one narrow port per caller. The SQLite
 * adapter implements them synchronously so a caller can append inside its own transaction;
 * an asynchronous store (PostgreSQL) would offer the same shapes behind promises.
 */

/** The release pipeline and importers: append in the same transaction as their own writes. */
export interface LedgerAppender {
  appendEntries(entries: readonly LedgerEntry[]): LedgerResult<{ first: number; size: number }>;
}

/** The scheduler that signs, in fixed steps, after batches and on a timer. */
export interface LedgerCheckpointer {
  checkpointIfDue(
    now: Date,
    signer: NoteSigner,
    schedule: CheckpointSchedule,
  ): LedgerResult<{ created: boolean }>;
}

/** Partners (their receipts) and overseers (consistency proofs, entry ranges). */
export interface LedgerProofReader {
  size(): number;
  root(size: number): LedgerResult<{ root: Hash }>;
  proveInclusion(index: number, size: number): LedgerResult<{ proof: Hash[] }>;
  proveConsistency(size1: number, size2: number): LedgerResult<{ proof: Hash[] }>;
}
