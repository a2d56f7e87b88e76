import { EMPTY_ROOT, type Hash, hashChildren } from './ledger-hash.js';
import type { NodeId } from './ledger-tree-math.js';

/**
 * The right edge of a tree: one complete subtree per set bit of its size. That is all an
 * append needs, so appending reads O(log n) hashes once per batch and writes each new
 * complete subtree hash exactly once.
 */
export class TreeFrontier {
  #size: number;
  /** byLevel[L] is the complete subtree of height L on the edge, present iff bit L of size is set. */
  readonly #byLevel: (Hash | undefined)[];

  private constructor(size: number, byLevel: (Hash | undefined)[]) {
    this.#size = size;
    this.#byLevel = byLevel;
  }

  static empty(): TreeFrontier {
    return new TreeFrontier(0, []);
  }

  /** The complete subtrees to read to resume a tree of `size` leaves, lowest level first. */
  static nodesFor(size: number): NodeId[] {
    const nodes: NodeId[] = [];
    for (let level = 0, rest = size; rest > 0; level++, rest = Math.floor(rest / 2)) {
      if (rest % 2 === 1) nodes.push({ level, index: rest - 1 });
    }
    return nodes;
  }

  /** Resumes from the hashes of `nodesFor(size)`, in that order. */
  static resume(size: number, hashes: readonly Hash[]): TreeFrontier {
    const nodes = TreeFrontier.nodesFor(size);
    if (hashes.length !== nodes.length) {
      throw new RangeError(`frontier of size ${size} needs ${nodes.length} hashes, got ${hashes.length}`);
    }
    const byLevel: (Hash | undefined)[] = [];
    nodes.forEach((node, i) => {
      byLevel[node.level] = hashes[i];
    });
    return new TreeFrontier(size, byLevel);
  }

  get size(): number {
    return this.#size;
  }

  /** Adds a leaf; returns the new complete subtree hashes in stored order (leaf first). */
  append(leafHash: Hash): Hash[] {
    const created: Hash[] = [];
    this.appendTo(leafHash, created);
    return created;
  }

  /** As append, pushing onto `out` (a batch collects all its hashes in one array). */
  appendTo(leafHash: Hash, out: Hash[]): void {
    out.push(leafHash);
    let acc = leafHash;
    let level = 0;
    for (let rest = this.#size; rest % 2 === 1; rest = Math.floor(rest / 2)) {
      acc = hashChildren(this.#byLevel[level] as Hash, acc);
      this.#byLevel[level] = undefined;
      level++;
      out.push(acc);
    }
    this.#byLevel[level] = acc;
    this.#size++;
  }

  root(): Hash {
    let acc: Hash | undefined;
    for (const hash of this.#byLevel) {
      if (hash === undefined) continue;
      acc = acc === undefined ? hash : hashChildren(hash, acc);
    }
    return acc ?? EMPTY_ROOT;
  }
}
