import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCheckpoint, signCheckpoint } from './ledger-checkpoint.js';
import { EMPTY_ROOT, equalHashes, type Hash, hashLeaf } from './ledger-hash.js';
import { MemoryTree } from './ledger-memory-tree.js';
import {
  createSigner,
  formatVerifierKey,
  type NoteSigner,
  parseVerifierKey,
  signNote,
} from './ledger-note.js';
import { checkAddCheckpoint, type HeldCheckpoint } from './ledger-witness-check.js';
import { formatAddCheckpoint, parseAddCheckpoint, parseTlogSize } from './ledger-witness-request.js';

const signerOf = (name: string, n: number): NoteSigner => {
  const made = createSigner(name, Buffer.alloc(32, n));
  if (!made.ok) throw new Error(made.message);
  return made.signer;
};
const HUB = signerOf('hub.example', 1);
const FORGER = signerOf('hub.example', 2);
const hubVerifier = (() => {
  const v = parseVerifierKey(formatVerifierKey(HUB.name, HUB.publicKey));
  if (!v.ok) throw new Error(v.message);
  return v.verifier;
})();
const logKeys = (origin: string) => (origin === 'hub.example' ? [hubVerifier] : undefined);

const treeOf = (prefix: string, n: number) =>
  MemoryTree.fromEntries(Array.from({ length: n }, (_, i) => Buffer.from(`${prefix}-${i}`)));
const noteOf = (tree: MemoryTree, size: number, signer = HUB): string => {
  const s = signCheckpoint({ origin: signer.name, size, root: tree.root(size) }, signer);
  if (!s.ok) throw new Error(s.message);
  return s.note;
};
const proofOf = (tree: MemoryTree, from: number, to: number): Hash[] => {
  if (from === 0 || from > to) return [];
  const p = tree.proveConsistency(from, to);
  if (!p.ok) throw new Error(p.message);
  return p.proof;
};
const body = (tree: MemoryTree, old: number, size: number, signer = HUB) =>
  formatAddCheckpoint(old, proofOf(tree, old, size), noteOf(tree, size, signer));

/** A witness's state in a map, as the server keeps it in its database. */
function witness() {
  const held = new Map<string, HeldCheckpoint>();
  return {
    held,
    add(text: string) {
      const d = checkAddCheckpoint(text, logKeys, (o) => held.get(o));
      if (d.ok) held.set(d.origin, { size: d.checkpoint.size, root: d.checkpoint.root });
      return d;
    },
  };
}

describe('add-checkpoint request bodies', () => {
  it('round-trips old size, proof and note', () => {
    const tree = treeOf('a', 9);
    const text = body(tree, 4, 9);
    const parsed = parseAddCheckpoint(text);
    expect(parsed.ok && parsed.request.oldSize).toBe(4);
    expect(parsed.ok && parsed.request.proof.length).toBe(proofOf(tree, 4, 9).length);
    expect(parsed.ok && parsed.request.note).toBe(noteOf(tree, 9));
  });

  it('names what is wrong in a malformed body', () => {
    const note = noteOf(treeOf('a', 3), 3);
    const cases: [string, RegExp][] = [
      ['', /blank line/],
      [`old 3\n${note}`, /blank line|line 2/],
      [`old 03\n\n${note}`, /leading zeroes/],
      [`old -1\n\n${note}`, /decimal/],
      [`old 99999999999999999\n\n${note}`, /decimal/],
      [`Old 3\n\n${note}`, /line 1 must be "old <size>"/],
      [`old 3\nnot-a-hash\n\n${note}`, /line 2: a proof line/],
      [`old 3\n${'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n'.repeat(64)}\n${note}`, /at most 63/],
      ['old 3\n\n', /checkpoint after the blank line is missing/],
    ];
    for (const [text, why] of cases) {
      const parsed = parseAddCheckpoint(text);
      expect(parsed.ok, JSON.stringify(text.slice(0, 20))).toBe(false);
      if (!parsed.ok) expect(parsed.message).toMatch(why);
    }
    expect(parseTlogSize('12\n')).toBe(12);
    for (const bad of ['12', '012\n', '-1\n', '1 2\n', '']) expect(parseTlogSize(bad)).toBeUndefined();
  });
});

describe('what a witness decides (C2SP tlog-witness add-checkpoint)', () => {
  it('cosigns a first checkpoint from old 0, then each consistent extension, and re-cosigns its own size', () => {
    const w = witness();
    const tree = treeOf('a', 20);
    expect(w.add(body(tree, 0, 5))).toMatchObject({ ok: true, oldSize: 0 });
    expect(w.add(body(tree, 5, 13))).toMatchObject({ ok: true, oldSize: 5 });
    expect(w.add(body(tree, 13, 13))).toMatchObject({ ok: true });
    expect(w.add(body(tree, 13, 20))).toMatchObject({ ok: true });
    expect(w.held.get('hub.example')?.size).toBe(20);
  });

  it('answers 404, 403, 400, 409 and 422 as the spec says', () => {
    const w = witness();
    const tree = treeOf('a', 10);
    const fork = treeOf('b', 10);
    expect(w.add(body(tree, 0, 4))).toMatchObject({ ok: true });
    const other = signerOf('other.example', 3);
    expect(w.add(body(tree, 4, 6, other))).toMatchObject({ status: 404, code: 'unknown-origin' });
    expect(w.add(body(tree, 4, 6, FORGER))).toMatchObject({ status: 403, code: 'bad-signature' });
    const edited = body(tree, 4, 6).replace(/\n6\n/, '\n7\n');
    expect(w.add(edited)).toMatchObject({ status: 403, code: 'bad-signature' });
    expect(w.add(body(tree, 4, 3))).toMatchObject({
      status: 400,
      code: 'old-size-above-new',
      signedBy: 'hub.example',
    });
    expect(w.add(body(tree, 2, 6))).toMatchObject({ status: 409, code: 'old-size-mismatch', heldSize: 4 });
    expect(w.add(body(tree, 0, 6))).toMatchObject({ status: 409, heldSize: 4 });
    // A fork: signed by the hub's key, but not an extension of what the witness holds.
    expect(w.add(body(fork, 4, 6))).toMatchObject({
      status: 422,
      code: 'inconsistent',
      signedBy: 'hub.example',
    });
    expect(w.add(body(fork, 4, 4))).toMatchObject({ status: 422, code: 'inconsistent' });
    // The right tree with a proof from elsewhere.
    const wrongProof = formatAddCheckpoint(4, proofOf(fork, 4, 6), noteOf(tree, 6));
    expect(w.add(wrongProof)).toMatchObject({ status: 422 });
    expect(w.add(formatAddCheckpoint(4, [], noteOf(tree, 6)))).toMatchObject({ status: 422 });
    expect(w.held.get('hub.example')?.size).toBe(4);
    expect(w.add('old 4\n\nnot a note\n')).toMatchObject({ status: 400, code: 'malformed' });
    const unsigned = `${formatCheckpoint({ origin: 'hub.example', size: 6, root: tree.root(6) })}\n`;
    expect(w.add(`old 4\n\n${unsigned}`)).toMatchObject({ status: 400 });
  });

  it('needs the empty root at size 0 and no proof from old size 0', () => {
    const w = witness();
    const empty = (root: Hash) => {
      const s = signNote(formatCheckpoint({ origin: 'hub.example', size: 0, root }), [HUB]);
      if (!s.ok) throw new Error(s.message);
      return `old 0\n\n${s.note}`;
    };
    expect(w.add(empty(hashLeaf(Buffer.from('x'))))).toMatchObject({ status: 422, code: 'bad-empty-root' });
    expect(w.add(empty(EMPTY_ROOT))).toMatchObject({ ok: true });
    const tree = treeOf('a', 4);
    const withProof = formatAddCheckpoint(0, proofOf(tree, 2, 4), noteOf(tree, 4));
    expect(w.add(withProof)).toMatchObject({ status: 422, code: 'proof-not-empty' });
  });

  it('never cosigns two inconsistent checkpoints, over random pushes from an honest log and a fork', () => {
    const SIZE = 24;
    const step = fc.record({
      tree: fc.constantFrom('honest', 'fork'),
      size: fc.integer({ min: 1, max: SIZE }),
      // What the client claims as the old size: what the witness holds (a well-informed log),
      // or anything (a stale or lying one).
      old: fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: SIZE })),
      proofFrom: fc.constantFrom('same', 'other'),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: SIZE }),
        fc.array(step, { minLength: 1, maxLength: 25 }),
        (shared, steps) => {
          const honest = treeOf('h', SIZE);
          // The fork agrees with the honest log on its first `shared` entries.
          const fork = MemoryTree.fromEntries(
            Array.from({ length: SIZE }, (_, i) => Buffer.from(i < shared ? `h-${i}` : `f-${i}`)),
          );
          const trees = { honest, fork };
          const w = witness();
          const cosigned: { size: number; root: Hash; tree: MemoryTree }[] = [];
          let heldBefore = 0;
          for (const s of steps) {
            const tree = trees[s.tree];
            const held = w.held.get('hub.example')?.size ?? 0;
            const old = s.old === -1 ? held : s.old;
            const proofTree = s.proofFrom === 'same' ? tree : trees[s.tree === 'honest' ? 'fork' : 'honest'];
            const proof = old > 0 && old <= s.size ? proofOf(proofTree, old, s.size) : [];
            const d = w.add(formatAddCheckpoint(old, proof, noteOf(tree, s.size)));
            if (d.ok) cosigned.push({ size: d.checkpoint.size, root: d.checkpoint.root, tree });
            const after = w.held.get('hub.example')?.size ?? 0;
            expect(after).toBeGreaterThanOrEqual(heldBefore);
            heldBefore = after;
          }
          for (const a of cosigned) {
            for (const b of cosigned) {
              if (a.size > b.size) continue;
              // b's tree, cut at a's size, must have a's root: a is a prefix of b.
              expect(equalHashes(b.tree.root(a.size), a.root)).toBe(true);
            }
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
