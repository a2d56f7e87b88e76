import { EMPTY_ROOT, equalHashes, HASH_SIZE, type Hash, hashChildren } from './ledger-hash.js';
import {
  type ConsistencyShape,
  checkSubtree,
  type LeafRange,
  type ProofStep,
  shapeConsistency,
  shapeInclusion,
} from './ledger-proof-shape.js';
import { fail, type LedgerResult } from './ledger-result.js';
import { decomposeRange, isTreeSize, type NodeId } from './ledger-tree-math.js';

type Check = LedgerResult<object>;
const OK: Check = { ok: true };

function checkHashes(named: Record<string, Uint8Array>, proof: readonly Uint8Array[]): Check {
  for (const [name, hash] of Object.entries(named)) {
    if (hash.length !== HASH_SIZE)
      return fail('bad-hash', `${name} must be ${HASH_SIZE} bytes, not ${hash.length}`);
  }
  for (const [i, hash] of proof.entries()) {
    if (hash.length !== HASH_SIZE)
      return fail('bad-hash', `proof[${i}] must be ${HASH_SIZE} bytes, not ${hash.length}`);
  }
  return OK;
}

function chain(seed: Hash, steps: readonly ProofStep[], proof: readonly Hash[]): Hash {
  let acc = seed;
  for (const [i, step] of steps.entries()) {
    const p = proof[i] as Hash;
    acc = step.side === 'right' ? hashChildren(acc, p) : hashChildren(p, acc);
  }
  return acc;
}

/** RFC 9162 section 2.1.3.2: leaf `index` with `leafHash` is in the tree of `size` with `root`. */
export function verifyInclusion(
  index: number,
  size: number,
  leafHash: Hash,
  proof: readonly Hash[],
  root: Hash,
): Check {
  const hashes = checkHashes({ 'leaf hash': leafHash }, proof);
  if (!hashes.ok) return hashes;
  const shape = shapeInclusion(index, size);
  if (!shape.ok) return shape;
  const { steps } = shape.shape;
  if (proof.length !== steps.length) {
    return fail(
      'bad-proof-length',
      `inclusion proof of ${index} in ${size} needs ${steps.length} hashes, got ${proof.length}`,
    );
  }
  if (!equalHashes(chain(leafHash, steps, proof), root)) {
    return fail(
      'root-mismatch',
      `inclusion proof of leaf ${index} does not lead to the root of tree size ${size}`,
    );
  }
  return OK;
}

/** Inclusion of a leaf in the subtree [start, end) whose root hash is `root`. */
export function verifySubtreeInclusion(
  index: number,
  start: number,
  end: number,
  leafHash: Hash,
  proof: readonly Hash[],
  root: Hash,
): Check {
  const bad = checkSubtree(start, end);
  if (bad) return bad;
  if (start === end) return fail('bad-subtree', `subtree [${start}, ${end}) is empty`);
  if (!isTreeSize(index) || index < start || index >= end) {
    return fail('bad-index', `leaf index ${index} is outside subtree [${start}, ${end})`);
  }
  return verifyInclusion(index - start, end - start, leafHash, proof, root);
}

/** RFC 9162 section 2.1.4.2: the tree of size1 with root1 is a prefix of the tree of size2. */
export function verifyConsistency(
  size1: number,
  size2: number,
  proof: readonly Hash[],
  root1: Hash,
  root2: Hash,
): Check {
  if (!isTreeSize(size1) || !isTreeSize(size2) || size2 < size1) {
    return fail('bad-size', `sizes must satisfy 0 <= size1 <= size2, got ${size1} and ${size2}`);
  }
  if (size1 === 0) return fail('empty-tree', 'a consistency proof from the empty tree proves nothing');
  if (size1 === size2) {
    if (proof.length > 0) return fail('bad-proof-length', 'equal sizes need an empty proof');
    return equalHashes(root1, root2)
      ? OK
      : fail('root-mismatch', `two different roots for tree size ${size1}`);
  }
  if (proof.length === 0) return fail('bad-proof-length', `consistency proof ${size1} -> ${size2} is empty`);
  return verifySubtreeConsistency(0, size1, size2, proof, root1, root2);
}

/** The subtree [start, end) with root `subRoot` is part of the tree of `size` with `root`. */
export function verifySubtreeConsistency(
  start: number,
  end: number,
  size: number,
  proof: readonly Hash[],
  subRoot: Hash,
  root: Hash,
): Check {
  const bad = checkSubtree(start, end);
  if (bad) return bad;
  if (!isTreeSize(size) || size < end)
    return fail('bad-size', `tree size ${size} is below subtree end ${end}`);
  if (start === end) {
    if (proof.length > 0) return fail('bad-proof-length', 'an empty subtree needs an empty proof');
    return equalHashes(subRoot, EMPTY_ROOT)
      ? OK
      : fail('subtree-root-mismatch', 'an empty subtree must have the empty root');
  }
  // Roots are only compared, never hashed, so their length needs no separate check.
  const hashes = checkHashes({}, proof);
  if (!hashes.ok) return hashes;
  const shaped = shapeConsistency(start, end, size);
  if (!shaped.ok) return shaped;
  return checkConsistencyShape(shaped.shape, proof, subRoot, root, `[${start}, ${end}) -> ${size}`);
}

function checkConsistencyShape(
  shape: ConsistencyShape,
  proof: readonly Hash[],
  subRoot: Hash,
  root: Hash,
  what: string,
): Check {
  const offset = shape.seed ? 1 : 0;
  const want = offset + shape.steps.length;
  if (proof.length !== want)
    return fail('bad-proof-length', `consistency proof ${what} needs ${want} hashes, got ${proof.length}`);
  const seed = shape.seed ? (proof[0] as Hash) : subRoot;
  let full = seed;
  let sub = seed;
  for (const [i, step] of shape.steps.entries()) {
    const p = proof[offset + i] as Hash;
    full = step.side === 'right' ? hashChildren(full, p) : hashChildren(p, full);
    if (step.inSubtree) sub = hashChildren(p, sub);
  }
  if (!equalHashes(sub, subRoot))
    return fail('subtree-root-mismatch', `consistency proof ${what} does not rebuild the old root`);
  if (!equalHashes(full, root))
    return fail('root-mismatch', `consistency proof ${what} does not rebuild the new root`);
  return OK;
}

/** The ranges whose hashes make up the inclusion proof of `index` in `size`, in proof order. */
export function planInclusion(index: number, size: number): LedgerResult<{ ranges: LeafRange[] }> {
  const shaped = shapeInclusion(index, size);
  if (!shaped.ok) return shaped;
  return { ok: true, ranges: shaped.shape.steps.map((s) => s.sibling) };
}

/** The ranges whose hashes make up the consistency proof from size1 to size2 (0 < size1 <= size2). */
export function planConsistency(size1: number, size2: number): LedgerResult<{ ranges: LeafRange[] }> {
  if (!isTreeSize(size1) || !isTreeSize(size2) || size1 === 0 || size2 < size1) {
    return fail('bad-size', `consistency needs 0 < size1 <= size2, got ${size1} and ${size2}`);
  }
  if (size1 === size2) return { ok: true, ranges: [] };
  const shaped = shapeConsistency(0, size1, size2);
  if (!shaped.ok) return shaped;
  const { seed, steps } = shaped.shape;
  return { ok: true, ranges: [...(seed ? [seed] : []), ...steps.map((s) => s.sibling)] };
}

/** Every complete subtree a list of ranges needs, so an adapter can fetch them in one go. */
export function nodesOfRanges(ranges: readonly LeafRange[]): NodeId[] {
  return ranges.flatMap((r) => decomposeRange(r.lo, r.hi));
}

/** Merkle hash of leaves [lo, hi) from the hashes of its complete subtrees (right fold). */
export function hashRange(range: LeafRange, readNode: (node: NodeId) => Hash): Hash {
  const nodes = decomposeRange(range.lo, range.hi);
  if (nodes.length === 0) return EMPTY_ROOT;
  let acc = readNode(nodes[nodes.length - 1] as NodeId);
  for (let i = nodes.length - 2; i >= 0; i--) acc = hashChildren(readNode(nodes[i] as NodeId), acc);
  return acc;
}

export function assembleProof(ranges: readonly LeafRange[], readNode: (node: NodeId) => Hash): Hash[] {
  return ranges.map((r) => hashRange(r, readNode));
}
