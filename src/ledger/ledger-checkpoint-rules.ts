import { signCheckpoint } from './ledger-checkpoint.js';
import { equalHashes, type Hash } from './ledger-hash.js';
import type { NoteSigner } from './ledger-note.js';
import { verifyConsistency } from './ledger-proof.js';
import { fail, type LedgerResult } from './ledger-result.js';

/*
 * The rules a new checkpoint is signed by, the same on both engines: the adapters only read the
 * tree under their lock and store what these return.
 */

/** A new checkpoint as both engines store it. */
export interface NewCheckpoint {
  size: number;
  root: Buffer;
  note: string;
  signedAt: string;
}

/** A read of the stored tree that signing asks of an adapter, made under the adapter's lock. */
export type TreeRead = { kind: 'root'; size: number } | { kind: 'consistency'; from: number; to: number };
export type TreeAnswer = LedgerResult<{ root: Hash }> | LedgerResult<{ proof: Hash[] }>;

/**
 * Signing a checkpoint, step by step, once for the synchronous adapter (SQLite) and the
 * asynchronous one (PostgreSQL): it yields each read of the tree it needs, only when it needs it
 * (a refusal reads nothing further, as a damaged tree may throw), and returns the checkpoint with
 * `created` when the adapter is to store it, or the latest one when that already covers the tree.
 * Never a smaller tree than the latest checkpoint, and only one proven consistent with it.
 */
export function* checkpointSigning<C extends NewCheckpoint>(
  have: number,
  wanted: number | undefined,
  latest: C | undefined,
  signer: NoteSigner,
  now: Date,
): Generator<TreeRead, LedgerResult<{ checkpoint: C | NewCheckpoint; created: boolean }>, TreeAnswer> {
  const target = checkpointTarget(have, wanted, latest);
  if (!target.ok) return target;
  if (target.covered) return { ok: true, checkpoint: target.covered, created: false };
  const { size } = target;
  const root = (yield { kind: 'root', size }) as LedgerResult<{ root: Hash }>;
  if (!root.ok) return root;
  if (latest) {
    const oldRoot = (yield { kind: 'root', size: latest.size }) as LedgerResult<{ root: Hash }>;
    if (!oldRoot.ok) return oldRoot;
    const kept = checkRootKept(latest, oldRoot.root);
    if (!kept.ok) return kept;
    const proof = (yield { kind: 'consistency', from: latest.size, to: size }) as LedgerResult<{
      proof: Hash[];
    }>;
    if (!proof.ok) return proof;
    const extended = checkExtends(latest, size, root.root, proof.proof);
    if (!extended.ok) return extended;
  }
  const signed = signedCheckpoint(signer, size, root.root, now);
  if (!signed.ok) return signed;
  return { ok: true, checkpoint: signed.checkpoint, created: true };
}

/**
 * The tree size to sign (`wanted`, else all `have` entries), or the latest checkpoint when it
 * already covers that size (another signer got there first: nothing smaller is ever signed).
 */
export function checkpointTarget<C extends { size: number }>(
  have: number,
  wanted: number | undefined,
  latest: C | undefined,
): LedgerResult<{ size: number; covered?: C }> {
  if (have === 0) return fail('empty-tree', 'the ledger has no entries yet: nothing to sign');
  if (wanted !== undefined && wanted > have)
    return fail('bad-size', `tree size ${wanted} is beyond the ledger's ${have} entries`);
  const size = wanted ?? have;
  if (latest && latest.size > have)
    return fail(
      'inconsistent',
      `the ledger has ${have} entries but checkpoint ${latest.size} was signed: entries were removed`,
    );
  return latest && latest.size >= size ? { ok: true, size, covered: latest } : { ok: true, size };
}

/** The stored tree still has the latest checkpoint's root at its size (`oldRoot`): nothing was rewritten. */
export function checkRootKept(latest: { size: number; root: Hash }, oldRoot: Hash): LedgerResult<object> {
  return equalHashes(oldRoot, latest.root)
    ? { ok: true }
    : fail('inconsistent', `the stored tree no longer matches checkpoint ${latest.size}: refusing to sign`);
}

/** `proof` shows the tree of `size` (root `root`) consistent with the latest checkpoint. */
export function checkExtends(
  latest: { size: number; root: Hash },
  size: number,
  root: Hash,
  proof: readonly Hash[],
): LedgerResult<object> {
  const consistent = verifyConsistency(latest.size, size, proof, latest.root, root);
  if (!consistent.ok)
    return fail(
      'inconsistent',
      `tree ${size} is not consistent with checkpoint ${latest.size}: ${consistent.message}`,
    );
  return { ok: true };
}

/** The checkpoint of the tree of `size`, signed by `signer` at `now`, as both engines store it. */
export function signedCheckpoint(
  signer: NoteSigner,
  size: number,
  root: Hash,
  now: Date,
): LedgerResult<{ checkpoint: NewCheckpoint }> {
  const signed = signCheckpoint({ origin: signer.name, size, root }, signer);
  if (!signed.ok) return signed;
  return {
    ok: true,
    checkpoint: { size, root: Buffer.from(root), note: signed.note, signedAt: now.toISOString() },
  };
}
