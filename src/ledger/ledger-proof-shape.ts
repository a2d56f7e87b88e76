import { fail, type LedgerError } from './ledger-result.js';
import { bitCeil, isTreeSize, splitPoint } from './ledger-tree-math.js';

/** Leaves [lo, hi): a proof element is the Merkle hash of such a range. */
export interface LeafRange {
  lo: number;
  hi: number;
}

/** One level of a proof, bottom-up: which side the sibling sits on. */
export interface ProofStep {
  sibling: LeafRange;
  /** 'right': hash(acc, sibling); 'left': hash(sibling, acc). */
  side: 'left' | 'right';
  /** The sibling belongs to the proven subtree too (consistency proofs only). */
  inSubtree: boolean;
}

export interface InclusionShape {
  steps: ProofStep[];
}

/**
 * A consistency proof: `seed` is the first proof element when the proven subtree is not
 * itself a node of the larger tree (RFC 6962 SUBPROOF with b = false); otherwise the
 * verifier starts from the subtree root it already knows.
 */
export interface ConsistencyShape {
  seed: LeafRange | null;
  steps: ProofStep[];
}

/** Shape of the RFC 9162 inclusion proof of leaf `index` in a tree of `size` leaves. */
export function shapeInclusion(
  index: number,
  size: number,
): { ok: true; shape: InclusionShape } | LedgerError {
  if (!isTreeSize(size) || size === 0)
    return fail('bad-size', `tree size ${size} must be a whole number >= 1`);
  if (!isTreeSize(index) || index >= size) {
    return fail('bad-index', `leaf index ${index} must be a whole number below the tree size ${size}`);
  }
  const steps: ProofStep[] = [];
  let lo = 0;
  let hi = size;
  while (hi - lo > 1) {
    const mid = lo + splitPoint(hi - lo);
    if (index < mid) {
      steps.push({ sibling: { lo: mid, hi }, side: 'right', inSubtree: false });
      hi = mid;
    } else {
      steps.push({ sibling: { lo, hi: mid }, side: 'left', inSubtree: false });
      lo = mid;
    }
  }
  return { ok: true, shape: { steps: steps.reverse() } };
}

/**
 * A subtree [start, end) is a node of some tree (possibly the unfinished right edge): it
 * starts on a multiple of the power of two that covers its length.
 */
export function checkSubtree(start: number, end: number): LedgerError | undefined {
  if (!isTreeSize(start) || !isTreeSize(end) || start > end) {
    return fail('bad-subtree', `subtree [${start}, ${end}) must have 0 <= start <= end`);
  }
  if (start === 0 || start === end) return undefined;
  if (start % bitCeil(end - start) !== 0) {
    return fail(
      'bad-subtree',
      `subtree [${start}, ${end}) must start on a multiple of ${bitCeil(end - start)}`,
    );
  }
  return undefined;
}

/**
 * Shape of the proof that subtree [start, end) (non-empty, valid) is part of the tree of
 * `size` leaves. With start = 0 this is the RFC 6962 / RFC 9162 consistency proof from size
 * `end` to size `size`. Walks down from the root: while the subtree lies in one half the
 * other half is a sibling outside it; when the subtree straddles the split, its left part
 * is a sibling inside it and from then on it is no longer a node the verifier knows.
 */
export function shapeConsistency(
  start: number,
  end: number,
  size: number,
): { ok: true; shape: ConsistencyShape } | LedgerError {
  const bad = checkSubtree(start, end);
  if (bad) return bad;
  if (!isTreeSize(size) || size < end)
    return fail('bad-size', `tree size ${size} must be >= subtree end ${end}`);
  if (start === end) return fail('bad-subtree', 'an empty subtree has no consistency proof');
  const steps: ProofStep[] = [];
  let lo = 0;
  let hi = size;
  let from = start;
  let known = true;
  while (!(lo === from && hi === end)) {
    const mid = lo + splitPoint(hi - lo);
    if (end <= mid) {
      steps.push({ sibling: { lo: mid, hi }, side: 'right', inSubtree: false });
      hi = mid;
    } else if (from >= mid) {
      steps.push({ sibling: { lo, hi: mid }, side: 'left', inSubtree: false });
      lo = mid;
    } else {
      // A valid subtree only straddles a split when it starts at the left edge.
      if (from !== lo) return fail('bad-subtree', `subtree [${start}, ${end}) is not a node of the tree`);
      steps.push({ sibling: { lo, hi: mid }, side: 'left', inSubtree: true });
      lo = mid;
      from = mid;
      known = false;
    }
  }
  return { ok: true, shape: { seed: known ? null : { lo, hi }, steps: steps.reverse() } };
}
