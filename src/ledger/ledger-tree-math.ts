/*
 * Tree arithmetic on sizes and indexes held in JavaScript numbers. Bitwise operators work on
 * 32 bits only, so everything here uses division and remainders and stays exact up to 2^53.
 */

/** Largest tree size or index the ledger handles exactly. */
export const MAX_TREE_SIZE = Number.MAX_SAFE_INTEGER;

export function isTreeSize(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}

/** Largest power of two strictly smaller than n (n >= 2): the RFC 6962 split point k. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** Smallest power of two >= n. */
export function bitCeil(n: number): number {
  let k = 1;
  while (k < n) k *= 2;
  return k;
}

export function countOnes(n: number): number {
  let ones = 0;
  let rest = n;
  while (rest > 0) {
    ones += rest % 2;
    rest = Math.floor(rest / 2);
  }
  return ones;
}

/** A complete (perfect) subtree: leaves [index * 2^level, (index + 1) * 2^level). */
export interface NodeId {
  level: number;
  index: number;
}

/**
 * Number of complete-subtree hashes a tree of n leaves holds: every level L contributes
 * floor(n / 2^L) nodes, which sums to 2n - popcount(n).
 */
export function countStoredHashes(n: number): number {
  return 2 * n - countOnes(n);
}

/**
 * Position of a complete subtree hash in append order: hashes are stored as the tree grows,
 * each leaf hash followed by the parents it completes. Node (L, k) is completed by leaf
 * (k + 1) * 2^L - 1, after that leaf's own hash and L - 1 lower parents. This is the same
 * order the Go checksum database uses (tlog.StoredHashIndex).
 */
export function storedHashIndex(node: NodeId): number {
  const lastLeaf = (node.index + 1) * 2 ** node.level - 1;
  return countStoredHashes(lastLeaf) + node.level;
}

/**
 * The complete subtrees that make up leaves [lo, hi), left to right, for a range that starts
 * on a boundary of its first subtree (every range a proof or a root asks for does).
 * The Merkle hash of the range is the right fold of their hashes.
 */
export function decomposeRange(lo: number, hi: number): NodeId[] {
  const nodes: NodeId[] = [];
  let at = lo;
  while (at < hi) {
    let level = 0;
    while (at % 2 ** (level + 1) === 0 && at + 2 ** (level + 1) <= hi) level++;
    nodes.push({ level, index: at / 2 ** level });
    at += 2 ** level;
  }
  return nodes;
}
