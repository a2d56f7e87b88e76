import { signCheckpoint } from '../ledger/ledger-checkpoint.js';
import { createCosigner, formatCosignerVerifierKey } from '../ledger/ledger-cosignature.js';
import type { Hash } from '../ledger/ledger-hash.js';
import { MemoryTree } from '../ledger/ledger-memory-tree.js';
import { createSigner, formatVerifierKey, type NoteSigner } from '../ledger/ledger-note.js';
import { formatAddCheckpoint } from '../ledger/ledger-witness-request.js';

/** A log in memory signing its own checkpoints, for witness tests (an honest one or a fork). */
export class TestLog {
  readonly tree: MemoryTree;
  constructor(
    readonly signer: NoteSigner,
    entries: readonly string[],
  ) {
    this.tree = MemoryTree.fromEntries(entries.map((e) => Buffer.from(e)));
  }

  static create(name: string, seed: number, prefix: string, size: number, sharedWith?: TestLog, shared = 0) {
    const made = createSigner(name, Buffer.alloc(32, seed));
    if (!made.ok) throw new Error(made.message);
    const entries = Array.from({ length: size }, (_, i) =>
      sharedWith && i < shared ? `${sharedWith.prefix}-${i}` : `${prefix}-${i}`,
    );
    const log = new TestLog(made.signer, entries);
    log.prefix = prefix;
    return log;
  }

  prefix = '';

  get key(): string {
    return formatVerifierKey(this.signer.name, this.signer.publicKey);
  }

  note(size: number): string {
    const s = signCheckpoint({ origin: this.signer.name, size, root: this.tree.root(size) }, this.signer);
    if (!s.ok) throw new Error(s.message);
    return s.note;
  }

  proof(from: number, to: number): Hash[] {
    if (from === 0 || from > to) return [];
    const p = this.tree.proveConsistency(from, to);
    if (!p.ok) throw new Error(p.message);
    return p.proof;
  }

  body(old: number, size: number): string {
    return formatAddCheckpoint(old, this.proof(old, size), this.note(size));
  }
}

export function testWitnessKey(name: string, seed: number) {
  const made = createCosigner(name, Buffer.alloc(32, seed));
  if (!made.ok) throw new Error(made.message);
  return { cosigner: made.cosigner, key: formatCosignerVerifierKey(name, made.cosigner.publicKey) };
}
