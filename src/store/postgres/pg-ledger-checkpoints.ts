import type pg from 'pg';
import { checkpointSigning, type TreeAnswer, type TreeRead } from '../../ledger/ledger-checkpoint-rules.js';
import type { NoteSigner } from '../../ledger/ledger-note.js';
import type { LedgerResult } from '../../ledger/ledger-result.js';
import { LOCK_LEDGER, type PgLedger, type Queryable } from './pg-ledger.js';
import { inPgTransaction } from './pg-transaction.js';

export interface PgStoredCheckpoint {
  size: number;
  root: Buffer;
  note: string;
  signedAt: string;
}

type CheckpointResult = LedgerResult<{ checkpoint: PgStoredCheckpoint; created: boolean }>;

/**
 * Signed checkpoints of a PostgreSQL ledger. Signing takes the ledger lock, so the tree it signs
 * is exactly the committed entries (no append can interleave), whichever process signs; two
 * processes signing at once produce one checkpoint, the other finds it.
 */
export class PgLedgerCheckpoints {
  readonly #pool: pg.Pool;
  readonly #ledger: PgLedger;

  constructor(pool: pg.Pool, ledger: PgLedger) {
    this.#pool = pool;
    this.#ledger = ledger;
  }

  async list(q: Queryable = this.#pool): Promise<PgStoredCheckpoint[]> {
    const res = await q.query<{ size: string; root: Buffer; note: string; signed_at: string }>(
      'SELECT size, root, note, signed_at FROM ledger_checkpoints ORDER BY size',
    );
    return res.rows.map((r) => ({ size: Number(r.size), root: r.root, note: r.note, signedAt: r.signed_at }));
  }

  /**
   * Signs the tree of `size` entries (default: all) unless the latest checkpoint covers it; never
   * a smaller tree, and only after proving the new tree consistent with the latest checkpoint (as
   * the SQLite adapter).
   */
  async checkpoint(now: Date, signer: NoteSigner, size?: number): Promise<CheckpointResult> {
    return inPgTransaction(
      this.#pool,
      async (tx) => {
        await tx.query(LOCK_LEDGER);
        return this.#checkpointLocked(tx, now, signer, size);
      },
      (res) => res.ok && res.created,
    );
  }

  async #checkpointLocked(
    tx: pg.PoolClient,
    now: Date,
    signer: NoteSigner,
    wanted: number | undefined,
  ): Promise<CheckpointResult> {
    const latest = (await this.list(tx)).at(-1);
    const steps = checkpointSigning(await this.#ledger.size(tx), wanted, latest, signer, now);
    let step = steps.next();
    while (!step.done) step = steps.next(await this.#read(step.value, tx));
    const { value: result } = step;
    if (result.ok && result.created) {
      const { checkpoint } = result;
      await tx.query('INSERT INTO ledger_checkpoints (size, root, note, signed_at) VALUES ($1, $2, $3, $4)', [
        checkpoint.size,
        checkpoint.root,
        checkpoint.note,
        checkpoint.signedAt,
      ]);
    }
    return result;
  }

  #read(read: TreeRead, tx: pg.PoolClient): Promise<TreeAnswer> {
    return read.kind === 'root'
      ? this.#ledger.root(read.size, tx)
      : this.#ledger.proveConsistency(read.from, read.to, tx);
  }
}
