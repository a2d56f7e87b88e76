import type { NoteVerifier } from '../ledger/ledger-note.js';
import type { LedgerResult } from '../ledger/ledger-result.js';
import type { CosignedCheckpoint } from './hub/cosignature-store.js';
import type { LedgerAuditResult } from './ledger-audit.js';

/*
 * The ledger as the console reads it: its size, checkpoints, receipts and an audit. Writing
 * entries stays with the stores that make the changes (one transaction each); signing stays with
 * the hub's schedule.
 */
export interface LedgerProofs {
  size(): Promise<number>;
  /** The latest checkpoint with the witnesses' cosignatures it has. */
  latestCosigned(): Promise<CosignedCheckpoint | undefined>;
  /** The index of a release's entry, if the ledger holds one. */
  findRelease(releaseId: string): Promise<number | undefined>;
  /** The receipt of entry `index` (an overseer's: internal details are in its opening). */
  receipt(index: number): Promise<LedgerResult<{ json: string }>>;
  /** Replays the whole ledger against its checkpoints. */
  audit(verifier: NoteVerifier): Promise<LedgerAuditResult>;
}
