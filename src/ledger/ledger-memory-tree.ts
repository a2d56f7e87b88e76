import { TreeFrontier } from './ledger-frontier.js';
import { type Hash, hashLeaf } from './ledger-hash.js';
import { assembleProof, hashRange, planConsistency, planInclusion } from './ledger-proof.js';
import type { LedgerResult } from './ledger-result.js';
import { type NodeId, storedHashIndex } from './ledger-tree-math.js';

/**
 * A whole log in memory, stored exactly as the database adapter stores it (complete subtree
 * hashes in append order). Offline verifiers and tests use it; the hub uses the adapter.
 */
export class MemoryTree {
  readonly #stored: Hash[] = [];
  #frontier = TreeFrontier.empty();

  static fromEntries(entries: Iterable<Uint8Array>): MemoryTree {
    const tree = new MemoryTree();
    for (const entry of entries) tree.appendLeafHash(hashLeaf(entry));
    return tree;
  }

  get size(): number {
    return this.#frontier.size;
  }

  appendLeafHash(leafHash: Hash): void {
    this.#stored.push(...this.#frontier.append(leafHash));
  }

  readonly readNode = (node: NodeId): Hash => {
    const hash = this.#stored[storedHashIndex(node)];
    if (hash === undefined)
      throw new RangeError(`no complete subtree at level ${node.level} index ${node.index}`);
    return hash;
  };

  root(size = this.size): Hash {
    return hashRange({ lo: 0, hi: size }, this.readNode);
  }

  proveInclusion(index: number, size = this.size): LedgerResult<{ proof: Hash[] }> {
    const plan = planInclusion(index, size);
    if (!plan.ok) return plan;
    return { ok: true, proof: assembleProof(plan.ranges, this.readNode) };
  }

  proveConsistency(size1: number, size2 = this.size): LedgerResult<{ proof: Hash[] }> {
    const plan = planConsistency(size1, size2);
    if (!plan.ok) return plan;
    return { ok: true, proof: assembleProof(plan.ranges, this.readNode) };
  }
}
