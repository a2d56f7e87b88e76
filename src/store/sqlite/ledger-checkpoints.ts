import { openCheckpoint } from '../../ledger/ledger-checkpoint.js';
import { checkpointSigning, type TreeAnswer, type TreeRead } from '../../ledger/ledger-checkpoint-rules.js';
import { type CheckpointSchedule, checkpointBoundary } from '../../ledger/ledger-checkpoint-steps.js';
import { equalHashes } from '../../ledger/ledger-hash.js';
import type { NoteSigner, NoteVerifier } from '../../ledger/ledger-note.js';
import type { LedgerCheckpointer } from '../../ledger/ledger-ports.js';
import { fail, type LedgerResult } from '../../ledger/ledger-result.js';
import type { SqliteLedger } from './ledger-store.js';

export interface StoredCheckpoint {
  size: number;
  root: Buffer;
  note: string;
  signedAt: string;
}

interface RawCheckpoint {
  size: number;
  root: Buffer;
  note: string;
  signed_at: string;
}

const toCheckpoint = (r: RawCheckpoint): StoredCheckpoint => ({
  size: r.size,
  root: r.root,
  note: r.note,
  signedAt: r.signed_at,
});

/** Signed checkpoints of a ledger, and the receipts and consistency proofs built on them. */
export class SqliteLedgerCheckpoints implements LedgerCheckpointer {
  readonly #ledger: SqliteLedger;
  readonly #statements;

  constructor(ledger: SqliteLedger) {
    this.#ledger = ledger;
    const { db } = ledger;
    this.#statements = {
      latest: db.prepare<[], RawCheckpoint>('SELECT * FROM ledger_checkpoints ORDER BY size DESC LIMIT 1'),
      at: db.prepare<[number], RawCheckpoint>('SELECT * FROM ledger_checkpoints WHERE size = ?'),
      all: db.prepare<[], RawCheckpoint>('SELECT * FROM ledger_checkpoints ORDER BY size'),
      insert: db.prepare('INSERT INTO ledger_checkpoints (size, root, note, signed_at) VALUES (?, ?, ?, ?)'),
    };
  }

  latest(): StoredCheckpoint | undefined {
    const row = this.#statements.latest.get();
    return row && toCheckpoint(row);
  }

  at(size: number): StoredCheckpoint | undefined {
    const row = this.#statements.at.get(size);
    return row && toCheckpoint(row);
  }

  /** Every checkpoint ever signed, oldest first. */
  list(): StoredCheckpoint[] {
    return this.#statements.all.all().map(toCheckpoint);
  }

  /**
   * Signs the tree of `size` entries (default: all of them) unless the latest checkpoint already
   * covers it. Never signs a smaller tree than the last checkpoint, and first proves the new tree
   * consistent with it: two signed checkpoints that disagree would be evidence against the hub.
   * Throws LedgerStoreError (signing nothing) when the stored tree is damaged.
   */
  checkpoint(
    now: Date,
    signer: NoteSigner,
    size?: number,
  ): LedgerResult<{ checkpoint: StoredCheckpoint; created: boolean }> {
    const run = this.#ledger.db.transaction(() => this.#checkpointNow(now, signer, size));
    return this.#ledger.db.inTransaction ? run() : run.immediate();
  }

  /**
   * What the hub calls after each batch of work and on a timer: signs the checkpoint due under
   * `schedule` (ledger-checkpoint-steps.ts) when it covers more than the latest one.
   */
  checkpointIfDue(
    now: Date,
    signer: NoteSigner,
    schedule: CheckpointSchedule,
  ): LedgerResult<{ checkpoint: StoredCheckpoint | undefined; created: boolean }> {
    const latest = this.latest();
    const signed = latest?.size ?? 0;
    const target =
      schedule.intervalMs > 0
        ? this.#ledger.sizeBefore(checkpointBoundary(now, schedule.intervalMs).toISOString(), signed)
        : this.#ledger.size();
    if (target <= signed) return { ok: true, checkpoint: latest, created: false };
    return this.checkpoint(now, signer, target);
  }

  #checkpointNow(
    now: Date,
    signer: NoteSigner,
    wanted: number | undefined,
  ): LedgerResult<{ checkpoint: StoredCheckpoint; created: boolean }> {
    const latest = this.latest();
    const steps = checkpointSigning(this.#ledger.size(), wanted, latest, signer, now);
    let step = steps.next();
    while (!step.done) step = steps.next(this.#read(step.value));
    const { value: result } = step;
    if (result.ok && result.created) {
      const { checkpoint } = result;
      this.#statements.insert.run(checkpoint.size, checkpoint.root, checkpoint.note, checkpoint.signedAt);
    }
    return result;
  }

  #read(read: TreeRead): TreeAnswer {
    return read.kind === 'root'
      ? this.#ledger.root(read.size)
      : this.#ledger.proveConsistency(read.from, read.to);
  }

  /** Checks one stored checkpoint's signature and that its columns match its note. */
  static checkStored(cp: StoredCheckpoint, verifier: NoteVerifier): LedgerResult<object> {
    const opened = openCheckpoint(cp.note, verifier);
    if (!opened.ok) return opened;
    if (opened.checkpoint.size !== cp.size || !equalHashes(opened.checkpoint.root, cp.root)) {
      return fail(
        'tampered',
        `the stored size or root of checkpoint ${cp.size} differs from its signed note`,
      );
    }
    return { ok: true };
  }
}
