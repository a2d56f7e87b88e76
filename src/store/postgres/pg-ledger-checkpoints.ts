import type pg from 'pg';
import { signCheckpoint } from '../../ledger/ledger-checkpoint.js';
import { equalHashes } from '../../ledger/ledger-hash.js';
import type { NoteSigner } from '../../ledger/ledger-note.js';
import { verifyConsistency } from '../../ledger/ledger-proof.js';
import { fail, type LedgerResult } from '../../ledger/ledger-result.js';
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
    const have = await this.#ledger.size(tx);
    if (have === 0) return fail('empty-tree', 'the ledger has no entries yet: nothing to sign');
    if (wanted !== undefined && wanted > have)
      return fail('bad-size', `tree size ${wanted} is beyond the ledger's ${have} entries`);
    const size = wanted ?? have;
    const latest = (await this.list(tx)).at(-1);
    if (latest && latest.size > have) {
      return fail('inconsistent', `the ledger has ${have} entries but checkpoint ${latest.size} was signed`);
    }
    // Another process signed this step (or a later one) first: nothing smaller is ever signed.
    if (latest && latest.size >= size) return { ok: true, checkpoint: latest, created: false };
    const root = await this.#ledger.root(size, tx);
    if (!root.ok) return root;
    if (latest) {
      const oldRoot = await this.#ledger.root(latest.size, tx);
      if (!oldRoot.ok) return oldRoot;
      if (!equalHashes(oldRoot.root, latest.root)) {
        return fail(
          'inconsistent',
          `the stored tree no longer matches checkpoint ${latest.size}: refusing to sign`,
        );
      }
      const proof = await this.#ledger.proveConsistency(latest.size, size, tx);
      if (!proof.ok) return proof;
      const consistent = verifyConsistency(latest.size, size, proof.proof, latest.root, root.root);
      if (!consistent.ok) {
        return fail(
          'inconsistent',
          `tree ${size} is not consistent with checkpoint ${latest.size}: ${consistent.message}`,
        );
      }
    }
    const signed = signCheckpoint({ origin: signer.name, size, root: root.root }, signer);
    if (!signed.ok) return signed;
    const checkpoint = { size, root: Buffer.from(root.root), note: signed.note, signedAt: now.toISOString() };
    await tx.query('INSERT INTO ledger_checkpoints (size, root, note, signed_at) VALUES ($1, $2, $3, $4)', [
      checkpoint.size,
      checkpoint.root,
      checkpoint.note,
      checkpoint.signedAt,
    ]);
    return { ok: true, checkpoint, created: true };
  }
}
