import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashLeaf } from './ledger-hash.js';
import { MemoryTree } from './ledger-memory-tree.js';
import {
  verifyConsistency,
  verifyInclusion,
  verifySubtreeConsistency,
  verifySubtreeInclusion,
} from './ledger-proof.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
// transparency-dev/merkle's vectors, copied into test/fixtures (origin and licence in its README).
const vectorsDir = join(repoRoot, 'test', 'fixtures', 'ledger', 'merkle-vectors');

// Reference implementation written straight from the RFC 6962 section 2.1 definitions
// (recursive, slow, obviously right) to check the iterative code against.
function sha(...parts: Uint8Array[]): Buffer {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
}
function mth(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return sha();
  if (leaves.length === 1) return leaves[0] as Buffer;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return sha(Buffer.from([1]), mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}
function refPath(m: number, leaves: Buffer[]): Buffer[] {
  if (leaves.length <= 1) return [];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return m < k
    ? [...refPath(m, leaves.slice(0, k)), mth(leaves.slice(k))]
    : [...refPath(m - k, leaves.slice(k)), mth(leaves.slice(0, k))];
}
function refSubproof(m: number, leaves: Buffer[], b: boolean): Buffer[] {
  if (m === leaves.length) return b ? [] : [mth(leaves)];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return m <= k
    ? [...refSubproof(m, leaves.slice(0, k), b), mth(leaves.slice(k))]
    : [...refSubproof(m - k, leaves.slice(k), false), mth(leaves.slice(0, k))];
}

const leafData = (i: number) => Buffer.from(`entry ${i}`);
const leavesOf = (n: number) => Array.from({ length: n }, (_, i) => hashLeaf(leafData(i)) as Buffer);
const flipBit = (h: Uint8Array, bit: number) => {
  const c = Buffer.from(h);
  c[bit >> 3] = (c[bit >> 3] as number) ^ (1 << (bit & 7));
  return c;
};

describe('Merkle tree against the RFC 6962 definitions', () => {
  it('computes the same roots and proofs for sizes 0, 1, 2, 2^k, 2^k + 1', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 31, 32, 33, 64, 65]) {
      const leaves = leavesOf(n);
      const tree = MemoryTree.fromEntries(Array.from({ length: n }, (_, i) => leafData(i)));
      expect(Buffer.from(tree.root()).equals(mth(leaves))).toBe(true);
      for (let m = 1; m <= n; m++) {
        const incl = tree.proveInclusion(m - 1, n);
        expect(incl.ok && incl.proof.map((p) => Buffer.from(p).toString('hex'))).toEqual(
          refPath(m - 1, leaves).map((p) => p.toString('hex')),
        );
        const cons = tree.proveConsistency(m, n);
        expect(cons.ok && cons.proof.map((p) => Buffer.from(p).toString('hex'))).toEqual(
          refSubproof(m, leaves, true).map((p) => p.toString('hex')),
        );
      }
    }
  });

  it('inclusion proofs verify for every index of random sizes, and any single-bit change fails', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.nat(), fc.nat(), (n, pick, bitPick) => {
        const tree = MemoryTree.fromEntries(Array.from({ length: n }, (_, i) => leafData(i)));
        const root = tree.root();
        for (let i = 0; i < n; i++) {
          const res = tree.proveInclusion(i, n);
          if (!res.ok) return false;
          const leaf = hashLeaf(leafData(i));
          if (!verifyInclusion(i, n, leaf, res.proof, root).ok) return false;
        }
        const i = pick % n;
        const res = tree.proveInclusion(i, n);
        if (!res.ok) return false;
        const leaf = hashLeaf(leafData(i));
        const bit = bitPick % 256;
        if (verifyInclusion(i, n, flipBit(leaf, bit), res.proof, root).ok) return false;
        if (verifyInclusion(i, n, leaf, res.proof, flipBit(root, bit)).ok) return false;
        for (let p = 0; p < res.proof.length; p++) {
          const bad = res.proof.map((h, j) => (j === p ? flipBit(h, bit) : h));
          if (verifyInclusion(i, n, leaf, bad, root).ok) return false;
        }
        if (res.proof.length > 0 && verifyInclusion(i, n, leaf, res.proof.slice(0, -1), root).ok)
          return false;
        if (n > 1 && verifyInclusion((i + 1) % n, n, leaf, res.proof, root).ok) return false;
        return true;
      }),
      { numRuns: 60 },
    );
  });

  it('consistency proofs verify for random m <= n, and any single-bit change fails', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 300 })
          .chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 1, max: n }))),
        fc.nat(),
        ([n, m], bitPick) => {
          const tree = MemoryTree.fromEntries(Array.from({ length: n }, (_, i) => leafData(i)));
          const res = tree.proveConsistency(m, n);
          if (!res.ok) return false;
          const [r1, r2] = [tree.root(m), tree.root(n)];
          if (!verifyConsistency(m, n, res.proof, r1, r2).ok) return false;
          const bit = bitPick % 256;
          if (verifyConsistency(m, n, res.proof, flipBit(r1, bit), r2).ok) return false;
          if (verifyConsistency(m, n, res.proof, r1, flipBit(r2, bit)).ok) return false;
          for (let p = 0; p < res.proof.length; p++) {
            const bad = res.proof.map((h, j) => (j === p ? flipBit(h, bit) : h));
            if (verifyConsistency(m, n, bad, r1, r2).ok) return false;
          }
          if (res.proof.length > 0 && verifyConsistency(m, n, res.proof.slice(1), r1, r2).ok) return false;
          return true;
        },
      ),
      { numRuns: 150 },
    );
  });
});

interface Vector {
  desc: string;
  wantErr: boolean;
  [field: string]: unknown;
}
function readVectors(kind: string): { file: string; v: Vector }[] {
  const out: { file: string; v: Vector }[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.json'))
        out.push({ file: path.slice(vectorsDir.length + 1), v: JSON.parse(readFileSync(path, 'utf8')) });
    }
  };
  walk(join(vectorsDir, kind));
  return out;
}
const b64 = (v: unknown) => Buffer.from(String(v ?? ''), 'base64');
const proofOf = (v: Vector) => ((v.proof as string[] | null) ?? []).map(b64);
const num = (v: unknown) => v as number;

describe('transparency-dev/merkle test vectors (test/fixtures/ledger/merkle-vectors)', () => {
  const cases: [string, (v: Vector) => boolean][] = [
    [
      'inclusion',
      (v) => verifyInclusion(num(v.leafIdx), num(v.treeSize), b64(v.leafHash), proofOf(v), b64(v.root)).ok,
    ],
    [
      'subtreeinclusion',
      (v) =>
        verifySubtreeInclusion(
          num(v.leafIdx),
          num(v.start),
          num(v.end),
          b64(v.leafHash),
          proofOf(v),
          b64(v.root),
        ).ok,
    ],
    [
      'consistency',
      (v) => verifyConsistency(num(v.size1), num(v.size2), proofOf(v), b64(v.root1), b64(v.root2)).ok,
    ],
    [
      'subtreeconsistency',
      (v) =>
        verifySubtreeConsistency(
          num(v.start),
          num(v.end),
          num(v.size),
          proofOf(v),
          b64(v.root1),
          b64(v.root2),
        ).ok,
    ],
  ];
  for (const [kind, verify] of cases) {
    it(`passes every ${kind} vector, accepting the good and rejecting the bad`, () => {
      const vectors = readVectors(kind);
      expect(vectors.length).toBeGreaterThan(90);
      expect(vectors.some((x) => x.v.wantErr)).toBe(true);
      expect(vectors.some((x) => !x.v.wantErr)).toBe(true);
      const wrong = vectors
        .filter(({ v }) => verify(v) === v.wantErr)
        .map(({ file, v }) => `${file}: ${v.desc}`);
      expect(wrong).toEqual([]);
    });
  }
});
