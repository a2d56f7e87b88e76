/** Every way a ledger operation or check can fail, one literal code each. */
export type LedgerErrorCode =
  | 'bad-size'
  | 'bad-index'
  | 'bad-subtree'
  | 'bad-proof-length'
  | 'bad-hash'
  | 'root-mismatch'
  | 'subtree-root-mismatch'
  | 'empty-tree'
  | 'bad-entry'
  | 'bad-checkpoint'
  | 'bad-note'
  | 'bad-signature'
  | 'unknown-key'
  | 'bad-key'
  | 'origin-mismatch'
  | 'bad-receipt'
  | 'not-found'
  | 'not-checkpointed'
  | 'inconsistent'
  | 'tampered'
  | 'no-quorum'
  | 'predates-commitments';

export interface LedgerError {
  ok: false;
  code: LedgerErrorCode;
  message: string;
}

export type LedgerResult<T> = ({ ok: true } & T) | LedgerError;

export function fail(code: LedgerErrorCode, message: string): LedgerError {
  return { ok: false, code, message };
}
